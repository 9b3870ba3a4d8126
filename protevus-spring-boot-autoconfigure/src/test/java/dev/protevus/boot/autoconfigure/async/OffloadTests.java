package dev.protevus.boot.autoconfigure.async;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.protevus.boot.async.Offload;
import dev.protevus.boot.async.WorkerPoolFullException;
import dev.protevus.boot.async.WorkerPools;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.StartupFailures;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

class OffloadTests {

	private static final String CPU_THREAD = "protevus-cpu-\\d+";

	private static final String BLOCKING_THREAD = "protevus-blocking-\\d+";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, AsyncAutoConfiguration.class))
		.withPropertyValues("protevus.async.pools.tiny.threads=1", "protevus.async.pools.tiny.queue-capacity=1")
		.withBean(Reports.class)
		.withBean(Nested.class);

	@Test
	void monoMethodRunsOnThePoolWhenSubscribedEachTime() {
		this.contextRunner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			Mono<String> mono = reports.mono();
			assertThat(reports.bodyThreads()).as("nothing runs before subscription").isEmpty();
			assertThat(mono.block(Duration.ofSeconds(5))).matches(CPU_THREAD);
			assertThat(mono.block(Duration.ofSeconds(5))).matches(CPU_THREAD);
			assertThat(reports.bodyThreads()).hasSize(2).allMatch((name) -> name.matches(CPU_THREAD));
		});
	}

	@Test
	void fluxMethodRunsOnThePoolWhenSubscribed() {
		this.contextRunner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			Flux<String> flux = reports.flux();
			assertThat(reports.bodyThreads()).isEmpty();
			StepVerifier.create(flux)
				.expectNextMatches((name) -> name.matches(CPU_THREAD))
				.expectNextMatches((name) -> name.matches(CPU_THREAD))
				.expectComplete()
				.verify(Duration.ofSeconds(5));
			assertThat(reports.bodyThreads()).singleElement().matches((name) -> name.matches(CPU_THREAD));
		});
	}

	@Test
	void futureMethodRunsOnThePoolAtOnce() {
		this.contextRunner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			CompletableFuture<String> future = reports.future();
			assertThat(future.get(5, TimeUnit.SECONDS)).matches(BLOCKING_THREAD);
			assertThat(reports.bodyThreads()).singleElement().matches((name) -> name.matches(BLOCKING_THREAD));
			assertThat(reports.stage().toCompletableFuture().get(5, TimeUnit.SECONDS)).matches(BLOCKING_THREAD);
		});
	}

	@Test
	void plainMethodRunsOnThePoolWhileTheCallerWaits() {
		this.contextRunner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			assertThat(reports.plain()).matches(BLOCKING_THREAD);
			reports.nothing();
			assertThat(reports.bodyThreads()).hasSize(2).allMatch((name) -> name.matches(BLOCKING_THREAD));
		});
	}

	@Test
	void otherAdviceOnTheMethodRunsOnThePoolToo() {
		this.contextRunner.withUserConfiguration(CachingConfiguration.class).run((context) -> {
			assertThat(context.getBean(Reports.class).cached(1)).matches(BLOCKING_THREAD);
			assertThat(context.getBean(RecordingCacheManager.class).lookupThreads).singleElement()
				.matches((name) -> name.matches(BLOCKING_THREAD));
		});
	}

	@Test
	void plainMethodThrowsTheMethodsOwnException() {
		this.contextRunner.run((context) -> assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> context.getBean(Reports.class).failing())
			.withMessage("disk full"));
	}

	@Test
	void plainMethodCalledFromANonBlockingThreadFailsAskingForMono() {
		this.contextRunner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			Scheduler eventLoop = Schedulers.newSingle("loop");
			try {
				Throwable error = catchThrowable(
						() -> Mono.fromCallable(reports::plain).subscribeOn(eventLoop).block(Duration.ofSeconds(5)));
				assertThat(error).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining(
							"@Offload(\"blocking\") on OffloadTests.Reports.plain() returns a plain value")
					.hasMessageContaining("thread 'loop-")
					.hasMessageContaining("Return Mono, Flux or CompletableFuture");
			}
			finally {
				eventLoop.dispose();
			}
		});
	}

	@Test
	void plainMethodCalledFromItsOwnPoolRunsDirectlyInsteadOfDeadlocking() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(Nested.class).outer()).isEqualTo("inner on protevus-tiny-1"));
	}

	@Test
	void fullPoolFailsTheCallAtOnce() {
		this.contextRunner.run((context) -> {
			WorkerPools pools = context.getBean(WorkerPools.class);
			Reports reports = context.getBean(Reports.class);
			CountDownLatch release = new CountDownLatch(1);
			HeldPools.hold(pools, "tiny", release);
			pools.offload("tiny", () -> "queued").subscribe();
			try {
				assertThatExceptionOfType(WorkerPoolFullException.class).isThrownBy(reports::tiny);
				StepVerifier.create(reports.tinyMono())
					.expectError(WorkerPoolFullException.class)
					.verify(Duration.ofSeconds(5));
				assertThat(catchThrowable(() -> reports.tinyFuture().join()))
					.hasCauseInstanceOf(WorkerPoolFullException.class);
			}
			finally {
				release.countDown();
			}
		});
	}

	@Test
	void usesTheApplicationsWorkerPools() {
		Scheduler own = Schedulers.newSingle("own");
		try {
			this.contextRunner.withBean(WorkerPools.class, () -> (pool) -> own)
				.run((context) -> assertThat(context.getBean(Reports.class).mono().block(Duration.ofSeconds(5)))
					.startsWith("own-"));
		}
		finally {
			own.dispose();
		}
	}

	@Test
	void unknownPoolFailsStartUpNamingTheMethodAndThePools() {
		this.contextRunner.withBean(Misnamed.class).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = StartupFailures.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains(
					"@Offload(\"reprots\") on OffloadTests.Misnamed.render() names worker pool 'reprots', which does not exist; "
							+ "the pools are cpu, blocking, tiny");
			assertThat(analysis.getAction()).contains("protevus.async.pools.reprots");
		});
	}

	@Test
	void unsupportedReturnTypeFailsStartUp() {
		this.contextRunner.withBean(Unsupported.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("@Offload supports methods that return Mono, Flux, CompletableFuture")
				.hasMessageContaining("java.util.concurrent.Future"));
	}

	private static String thread() {
		return Thread.currentThread().getName();
	}

	static class Reports {

		private final List<String> bodyThreads = new CopyOnWriteArrayList<>();

		/**
		 * Threads that ran a method body; read through the proxy, like the methods.
		 */
		public List<String> bodyThreads() {
			return this.bodyThreads;
		}

		@Offload("cpu")
		public Mono<String> mono() {
			this.bodyThreads.add(thread());
			return Mono.fromSupplier(OffloadTests::thread);
		}

		@Offload("cpu")
		public Flux<String> flux() {
			this.bodyThreads.add(thread());
			return Flux.range(1, 2).map((i) -> thread());
		}

		@Offload("blocking")
		public CompletableFuture<String> future() {
			this.bodyThreads.add(thread());
			return CompletableFuture.completedFuture(thread());
		}

		@Offload("blocking")
		public CompletionStage<String> stage() {
			return CompletableFuture.completedFuture(thread());
		}

		@Offload("blocking")
		public String plain() {
			this.bodyThreads.add(thread());
			return thread();
		}

		@Offload("blocking")
		public void nothing() {
			this.bodyThreads.add(thread());
		}

		@Offload("blocking")
		@Cacheable("reports")
		public String cached(int key) {
			return thread();
		}

		@Offload("blocking")
		public String failing() throws IOException {
			throw new IOException("disk full");
		}

		@Offload("tiny")
		public String tiny() {
			return thread();
		}

		@Offload("tiny")
		public Mono<String> tinyMono() {
			return Mono.just(thread());
		}

		@Offload("tiny")
		public CompletableFuture<String> tinyFuture() {
			return CompletableFuture.completedFuture(thread());
		}

		@Offload("tiny")
		public String inner() {
			return "inner on " + thread();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

		@Bean
		RecordingCacheManager cacheManager() {
			return new RecordingCacheManager();
		}

	}

	/**
	 * Records the threads that look entries up, which is where the cache advice runs.
	 */
	static class RecordingCacheManager extends ConcurrentMapCacheManager {

		final List<String> lookupThreads = new CopyOnWriteArrayList<>();

		@Override
		protected Cache createConcurrentMapCache(String name) {
			return new ConcurrentMapCache(name) {

				@Override
				protected Object lookup(Object key) {
					RecordingCacheManager.this.lookupThreads.add(thread());
					return super.lookup(key);
				}

			};
		}

	}

	static class Nested {

		private final Reports reports;

		Nested(Reports reports) {
			this.reports = reports;
		}

		@Offload("tiny")
		public String outer() {
			return this.reports.inner();
		}

	}

	static class Misnamed {

		@Offload("reprots")
		public String render() {
			return "report";
		}

	}

	static class Unsupported {

		@Offload("cpu")
		public Future<String> render() {
			return CompletableFuture.completedFuture("report");
		}

	}

}
