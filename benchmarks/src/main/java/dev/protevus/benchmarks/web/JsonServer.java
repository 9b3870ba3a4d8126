package dev.protevus.benchmarks.web;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebFilter;

/**
 * The server under load: one JSON endpoint, {@code GET /books/{id}}, in a WebFlux
 * application that {@link WebThroughput} starts once per variant, each with a class path
 * and arguments of its own: a bare Boot application (webflux and actuator only), and the
 * Protevus starter with r2dbc-postgresql, with Protevus on or off. The database and Redis
 * auto-configurations are excluded by name, so that nothing connects and the bare class
 * path, which has neither, starts too.
 * <p>
 * {@code GET /about} tells what the server runs: whether Protevus and the Prometheus
 * registry are on the class path, the meter registry in use and the web filters, so that
 * a run cannot compare the wrong servers. {@code GET /allocated} answers how many bytes
 * the server's live threads have allocated so far, so that a run can tell the bytes
 * allocated per request, a figure that depends far less than throughput on how fast the
 * machine runs at the moment.
 *
 * @since 0.1.0
 */
@SpringBootApplication(excludeName = { "org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration",
		"org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration",
		"org.springframework.boot.autoconfigure.data.r2dbc.R2dbcRepositoriesAutoConfiguration",
		"org.springframework.boot.autoconfigure.r2dbc.R2dbcTransactionManagerAutoConfiguration",
		"org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
		"org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration" })
@RestController
public class JsonServer {

	private final ApplicationContext context;

	JsonServer(ApplicationContext context) {
		this.context = context;
	}

	@GetMapping("/books/{id}")
	Mono<Book> book(@PathVariable long id) {
		return Mono.just(new Book(id, "The Left Hand of Darkness", "Ursula K. Le Guin", 1969));
	}

	@GetMapping("/about")
	Map<String, Object> about() {
		ClassLoader loader = getClass().getClassLoader();
		Map<String, Object> about = new TreeMap<>();
		about.put("protevus",
				ClassUtils.isPresent("dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration", loader));
		about.put("prometheus",
				ClassUtils.isPresent("io.micrometer.prometheusmetrics.PrometheusMeterRegistry", loader));
		about.put("meterRegistries", beanTypes("io.micrometer.core.instrument.MeterRegistry"));
		about.put("webFilters", beanTypes(WebFilter.class.getName()));
		return about;
	}

	@GetMapping("/allocated")
	long allocated() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		if (threads instanceof com.sun.management.ThreadMXBean counting && counting.isThreadAllocatedMemorySupported()
				&& counting.isThreadAllocatedMemoryEnabled()) {
			// -1 for a thread that ended meanwhile.
			return Arrays.stream(counting.getThreadAllocatedBytes(counting.getAllThreadIds()))
				.filter((bytes) -> bytes > 0)
				.sum();
		}
		return -1;
	}

	private List<String> beanTypes(String typeName) {
		if (!ClassUtils.isPresent(typeName, getClass().getClassLoader())) {
			return List.of();
		}
		Class<?> type = ClassUtils.resolveClassName(typeName, getClass().getClassLoader());
		return this.context.getBeansOfType(type)
			.values()
			.stream()
			.map((bean) -> bean.getClass().getSimpleName())
			.sorted()
			.toList();
	}

	public static void main(String[] args) {
		SpringApplication.run(JsonServer.class, args);
	}

	/**
	 * The endpoint's answer, about as large as a typical small JSON resource.
	 *
	 * @param id the book's id
	 * @param title its title
	 * @param author its author
	 * @param published the year it was published
	 */
	record Book(long id, String title, String author, int published) {
	}

}
