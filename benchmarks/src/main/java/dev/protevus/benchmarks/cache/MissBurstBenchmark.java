package dev.protevus.benchmarks.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.cache.TieredCacheAutoConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A burst of misses on one cold key: 500 concurrent callers of the same plain
 * {@code @Cacheable} {@code Mono} method, whose invocation takes 20 ms, and the time
 * until every caller has its value. Protevus's cache (through Spring Boot's
 * auto-configuration, as an application gets it) runs the method once per burst; Spring's
 * {@code ConcurrentMapCacheManager} and {@code RedisCacheManager} run it for each caller
 * that misses. Each operation uses a new key; the invocations per burst are printed when
 * a trial ends.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MissBurstBenchmark {

	static final int CALLERS = 500;

	static final Duration INVOCATION_TIME = Duration.ofMillis(20);

	private static final String CACHE_NAME = "burst";

	/**
	 * The cache behind the method: Protevus memory only or memory and Redis, Spring's
	 * concurrent map or Redis cache.
	 */
	@Param({ "protevus-memory", "spring-concurrent-map", "protevus-memory-redis", "spring-redis" })
	public String cache;

	private ConfigurableApplicationContext context;

	private Quotes quotes;

	private final List<String> keys = new ArrayList<>();

	private long bursts;

	@Setup(Level.Trial)
	public void setUp() {
		this.context = switch (this.cache) {
			case "protevus-memory" -> protevus("protevus.cache.tiers=memory");
			case "protevus-memory-redis" ->
				protevus("protevus.cache.tiers=memory,redis", "spring.data.redis.host=" + CacheFixtures.redisHost(),
						"spring.data.redis.port=" + CacheFixtures.redisPort());
			case "spring-concurrent-map" -> spring(ConcurrentMapConfiguration.class);
			case "spring-redis" -> spring(RedisConfiguration.class);
			default -> throw new IllegalArgumentException("Unknown cache " + this.cache);
		};
		this.quotes = this.context.getBean(Quotes.class);
	}

	private static ConfigurableApplicationContext protevus(String... properties) {
		return new SpringApplicationBuilder(ProtevusApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "protevus.cache.key-prefix=" + CacheFixtures.KEY_PREFIX,
					"protevus.cache.default-ttl=" + CacheFixtures.TTL.toSeconds() + "s",
					"protevus.cache.serialization.allowed-packages=" + Book.class.getPackageName())
			.properties(properties)
			.run();
	}

	private static ConfigurableApplicationContext spring(Class<?> configuration) {
		return new AnnotationConfigApplicationContext(configuration);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		System.out.printf("%n%s: %.1f invocations per burst of %d callers (%d bursts)%n", this.cache,
				(double) this.quotes.invocations() / Math.max(1, this.bursts), CALLERS, this.bursts);
		try {
			if (this.cache.endsWith("redis")) {
				LettuceConnectionFactory connectionFactory = CacheFixtures.connectionFactory();
				try {
					String namespace = (this.cache.startsWith("spring") ? CacheFixtures.KEY_PREFIX + "spring:"
							: CacheFixtures.KEY_PREFIX) + CACHE_NAME + "::";
					CacheFixtures.delete(connectionFactory,
							this.keys.stream()
								.map((key) -> (namespace + key).getBytes(java.nio.charset.StandardCharsets.UTF_8))
								.toArray(byte[][]::new));
				}
				finally {
					connectionFactory.destroy();
				}
			}
		}
		finally {
			this.context.close();
		}
	}

	@Benchmark
	public List<Book> burst() {
		String key = "cold-" + this.bursts++;
		this.keys.add(key);
		return Flux.range(0, CALLERS)
			.flatMap((i) -> Mono.defer(() -> this.quotes.find(key)).subscribeOn(Schedulers.parallel()), CALLERS)
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	/**
	 * The cached method: a plain {@code @Cacheable} whose invocation takes 20 ms.
	 */
	public static class Quotes {

		private final AtomicLong invocations = new AtomicLong();

		@Cacheable(CACHE_NAME)
		public Mono<Book> find(String key) {
			this.invocations.incrementAndGet();
			return Mono.delay(INVOCATION_TIME).thenReturn(new Book(key.hashCode(), "Book " + key, 2026));
		}

		public long invocations() {
			return this.invocations.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	@ImportAutoConfiguration({ ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class,
			CacheAutoConfiguration.class, JacksonAutoConfiguration.class, RedisAutoConfiguration.class,
			RedisReactiveAutoConfiguration.class })
	static class ProtevusApplication {

		@Bean
		Quotes quotes() {
			return new Quotes();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class ConcurrentMapConfiguration {

		@Bean
		Quotes quotes() {
			return new Quotes();
		}

		@Bean
		ConcurrentMapCacheManager cacheManager() {
			return new ConcurrentMapCacheManager(CACHE_NAME);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class RedisConfiguration {

		@Bean
		Quotes quotes() {
			return new Quotes();
		}

		@Bean(destroyMethod = "destroy")
		LettuceConnectionFactory redisConnectionFactory() {
			return CacheFixtures.connectionFactory();
		}

		@Bean
		RedisCacheManager cacheManager(LettuceConnectionFactory connectionFactory) {
			return RedisCacheManager.builder(connectionFactory)
				.cacheDefaults(RedisCacheConfiguration.defaultCacheConfig()
					.entryTtl(CacheFixtures.TTL)
					.prefixCacheNameWith(CacheFixtures.KEY_PREFIX + "spring:"))
				.build();
		}

	}

}
