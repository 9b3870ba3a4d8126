package dev.protevus.benchmarks.webcache;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebFilter;

/**
 * The server of the hot-key-over-HTTP variants of {@code WebThroughput}: the same
 * {@code GET /books/{id}} as {@code JsonServer}, but served by a {@code @Cacheable}
 * method that returns a {@code Mono}, so that under load every request reads one hot key
 * through Spring's cache abstraction. Which cache answers is the variant's choice: the
 * Protevus tiered cache (memory, then Redis) with the starter, or Spring Boot's
 * {@code RedisCacheManager} ({@code spring.cache.type=redis}) or
 * {@code ConcurrentMapCacheManager} ({@code spring.cache.type=simple}) without it. The
 * R2DBC auto-configurations are excluded by name; Redis is configured by the variant.
 * <p>
 * {@code GET /about} tells what the server runs, as {@code JsonServer}'s does, and names
 * the cache manager.
 *
 * @since 0.1.0
 */
@SpringBootApplication(excludeName = { "org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration",
		"org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration",
		"org.springframework.boot.autoconfigure.data.r2dbc.R2dbcRepositoriesAutoConfiguration",
		"org.springframework.boot.autoconfigure.r2dbc.R2dbcTransactionManagerAutoConfiguration" })
@EnableCaching
@RestController
public class HotKeyServer {

	private final ApplicationContext context;

	private final Books books;

	HotKeyServer(ApplicationContext context, Books books) {
		this.context = context;
		this.books = books;
	}

	@GetMapping("/books/{id}")
	Mono<Book> book(@PathVariable long id) {
		return this.books.find(id);
	}

	@GetMapping("/about")
	Map<String, Object> about() {
		ClassLoader loader = getClass().getClassLoader();
		Map<String, Object> about = new TreeMap<>();
		about.put("protevus",
				ClassUtils.isPresent("dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration", loader));
		about.put("prometheus",
				ClassUtils.isPresent("io.micrometer.prometheusmetrics.PrometheusMeterRegistry", loader));
		about.put("cacheManager", this.context.getBean(CacheManager.class).getClass().getSimpleName());
		about.put("webFilters",
				this.context.getBeansOfType(WebFilter.class)
					.values()
					.stream()
					.map((bean) -> bean.getClass().getSimpleName())
					.sorted()
					.toList());
		return about;
	}

	@Bean
	static Books books() {
		return new Books();
	}

	public static void main(String[] args) {
		SpringApplication.run(HotKeyServer.class, args);
	}

	/**
	 * The cached lookup: a miss builds the book, a hit reads it from the cache.
	 */
	static class Books {

		@Cacheable("books")
		public Mono<Book> find(long id) {
			return Mono.fromSupplier(() -> new Book(id, "The Left Hand of Darkness", "Ursula K. Le Guin", 1969,
					List.of("science fiction", "anthropology")));
		}

	}

	/**
	 * The cached value; serializable for {@code RedisCacheManager}'s default JDK
	 * serialization, JSON for Protevus's tiers.
	 *
	 * @param id the book's id
	 * @param title its title
	 * @param author its author
	 * @param published the year it was published
	 * @param subjects what it is about
	 */
	public record Book(long id, String title, String author, int published,
			List<String> subjects) implements Serializable {
	}

}
