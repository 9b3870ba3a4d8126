package dev.protevus.boot.autoconfigure.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.test.TestRedis;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code @Cacheable} on reactive and asynchronous methods, called on Reactor's
 * non-blocking threads. BlockHound, installed for every test of this module by its JUnit
 * Platform listener, turns any blocking call inside the cache into a failure.
 */
class ReactiveCachingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, JacksonAutoConfiguration.class, RedisAutoConfiguration.class,
				RedisReactiveAutoConfiguration.class))
		.withUserConfiguration(BookServiceConfiguration.class)
		.withPropertyValues(TestRedis.get().propertyValues())
		.withPropertyValues("protevus.cache.key-prefix=reactive-test:", "protevus.cache.tiers=memory,redis",
				"protevus.cache.serialization.allowed-packages=dev.protevus.boot.autoconfigure.cache",
				// A loaded CI machine may take longer than the 250 ms default, which
				// would read
				// as a miss; these tests are about blocking, not about the bound.
				"protevus.cache.redis.timeout=5s");

	@Test
	void blockHoundIsWatching() {
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> Mono.delay(Duration.ofMillis(1)).doOnNext((tick) -> sleep()).block())
			.withCauseInstanceOf(BlockingOperationError.class);
	}

	@Test
	void monoMethodIsCachedWithoutBlocking() {
		this.contextRunner.run((context) -> {
			BookService service = context.getBean(BookService.class);
			for (int i = 0; i < 3; i++) {
				StepVerifier.create(onParallel(() -> service.find(7)))
					.expectNext(new Book(7, "Book 7"))
					.verifyComplete();
			}
			assertThat(service.calls()).isOne();
		});
	}

	@Test
	void monoMethodIsServedFromTheRedisTierWithoutBlocking() {
		this.contextRunner.withPropertyValues("protevus.cache.caches.books.tiers=redis").run((context) -> {
			BookService service = context.getBean(BookService.class);
			TieredCache books = context.getBean(TieredCacheManager.class).getCache("books");
			StepVerifier.create(onParallel(() -> service.find(8))).expectNext(new Book(8, "Book 8")).verifyComplete();
			await().untilAsserted(() -> assertThat(books.statistics(CacheTier.REDIS).puts()).isOne());
			StepVerifier.create(onParallel(() -> service.find(8))).expectNext(new Book(8, "Book 8")).verifyComplete();
			assertThat(books.statistics(CacheTier.REDIS).hits()).isOne();
			assertThat(service.calls()).isOne();
		});
	}

	@Test
	void fluxMethodIsCachedWithoutBlocking() {
		this.contextRunner.run((context) -> {
			BookService service = context.getBean(BookService.class);
			for (int i = 0; i < 3; i++) {
				StepVerifier.create(onParallelFlux(() -> service.byAuthor(3)))
					.expectNext(new Book(31, "Book 31"), new Book(32, "Book 32"))
					.verifyComplete();
			}
			assertThat(service.calls()).isOne();
		});
	}

	@Test
	void completableFutureMethodIsCachedWithoutBlocking() {
		this.contextRunner.run((context) -> {
			BookService service = context.getBean(BookService.class);
			for (int i = 0; i < 3; i++) {
				StepVerifier.create(onParallel(() -> Mono.fromFuture(service.future(9))))
					.expectNext(new Book(9, "Book 9"))
					.verifyComplete();
			}
			assertThat(service.calls()).isOne();
		});
	}

	@Test
	void synchronizedMonoMethodLoadsOnceForConcurrentCallers() {
		this.contextRunner.run((context) -> {
			BookService service = context.getBean(BookService.class);
			// Spring resolves the key generator on the first call under a lock; only then
			// race.
			service.slow(4).block(Duration.ofSeconds(5));
			List<Book> books = Flux.range(0, 50)
				.flatMap((i) -> onParallel(() -> service.slow(5)))
				.collectList()
				.block(Duration.ofSeconds(10));
			assertThat(books).hasSize(50).containsOnly(new Book(5, "Slow 5"));
			assertThat(service.calls()).isEqualTo(2);
		});
	}

	private static <T> Mono<T> onParallel(java.util.function.Supplier<Mono<T>> call) {
		return Mono.defer(call).subscribeOn(Schedulers.parallel());
	}

	private static <T> Flux<T> onParallelFlux(java.util.function.Supplier<Flux<T>> call) {
		return Flux.defer(call).subscribeOn(Schedulers.parallel());
	}

	private static void sleep() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	public record Book(long id, String title) {
	}

	static class BookService {

		private final AtomicInteger calls = new AtomicInteger();

		public int calls() {
			return this.calls.get();
		}

		@Cacheable("books")
		public Mono<Book> find(long id) {
			return Mono.fromSupplier(() -> {
				this.calls.incrementAndGet();
				return new Book(id, "Book " + id);
			});
		}

		@Cacheable("books-by-author")
		public Flux<Book> byAuthor(long authorId) {
			this.calls.incrementAndGet();
			return Flux.just(new Book(authorId * 10 + 1, "Book " + (authorId * 10 + 1)),
					new Book(authorId * 10 + 2, "Book " + (authorId * 10 + 2)));
		}

		@Cacheable("books-future")
		public CompletableFuture<Book> future(long id) {
			this.calls.incrementAndGet();
			return CompletableFuture.completedFuture(new Book(id, "Book " + id));
		}

		@Cacheable(cacheNames = "books-slow", sync = true)
		public Mono<Book> slow(long id) {
			this.calls.incrementAndGet();
			return Mono.delay(Duration.ofMillis(200)).thenReturn(new Book(id, "Slow " + id));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class BookServiceConfiguration {

		@Bean
		BookService bookService() {
			return new BookService();
		}

	}

}
