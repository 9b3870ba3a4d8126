package dev.protevus.boot.autoconfigure.async;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.protevus.boot.async.WorkerPoolFullException;
import dev.protevus.boot.async.WorkerPools;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * How the worker pools behave: where work runs, what a full pool does, and how they shut
 * down.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerPoolsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, AsyncAutoConfiguration.class))
		.withPropertyValues("protevus.async.pools.tiny.threads=1", "protevus.async.pools.tiny.queue-capacity=2");

	@Test
	void offloadRunsOnTheNamedPoolAndFreesTheEventLoop() {
		this.contextRunner.run((context) -> {
			WorkerPools pools = context.getBean(WorkerPools.class);
			// A Reactor single scheduler's thread is non-blocking like a Netty event
			// loop: BlockHound
			// fails the test if the blocking task below runs on it.
			Scheduler eventLoop = Schedulers.newSingle("loop");
			try {
				CountDownLatch started = new CountDownLatch(1);
				CountDownLatch release = new CountDownLatch(1);
				CompletableFuture<String> result = Mono.defer(() -> pools.offload("blocking", () -> {
					started.countDown();
					release.await();
					return Thread.currentThread().getName();
				})).subscribeOn(eventLoop).toFuture();
				assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
				assertThat(Mono.fromCallable(() -> Thread.currentThread().getName())
					.subscribeOn(eventLoop)
					.block(Duration.ofSeconds(5))).as("the event loop serves other work meanwhile").startsWith("loop-");
				release.countDown();
				assertThat(result.get(5, TimeUnit.SECONDS)).matches("protevus-blocking-\\d+");
			}
			finally {
				eventLoop.dispose();
			}
		});
	}

	@Test
	void offloadEmitsNothingForANullResult() {
		this.contextRunner
			.run((context) -> StepVerifier.create(context.getBean(WorkerPools.class).offload("cpu", () -> null))
				.expectComplete()
				.verify(Duration.ofSeconds(5)));
	}

	@Test
	void schedulerRunsReactivePipelinesOnThePool() {
		this.contextRunner.run((context) -> {
			Scheduler cpu = context.getBean(WorkerPools.class).scheduler("cpu");
			StepVerifier.create(Flux.range(1, 3).publishOn(cpu).map((i) -> Thread.currentThread().getName()))
				.expectNextMatches((name) -> name.startsWith("protevus-cpu-"))
				.expectNextCount(2)
				.expectComplete()
				.verify(Duration.ofSeconds(5));
		});
	}

	@Test
	void fullPoolRejectsAtOnce() {
		this.contextRunner.run((context) -> {
			WorkerPools pools = context.getBean(WorkerPools.class);
			CountDownLatch release = new CountDownLatch(1);
			HeldPools.hold(pools, "tiny", release);
			pools.offload("tiny", () -> "queued 1").subscribe();
			pools.offload("tiny", () -> "queued 2").subscribe();
			Mono<String> overflow = pools.offload("tiny", () -> "rejected");
			long start = System.nanoTime();
			Throwable error = catchThrowable(overflow::block);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			release.countDown();
			assertThat(error).isInstanceOf(WorkerPoolFullException.class)
				.isInstanceOf(RejectedExecutionException.class)
				.hasMessage("Worker pool 'tiny' is full");
			assertThat(((WorkerPoolFullException) error).getPool()).isEqualTo("tiny");
			assertThat(elapsed).isLessThan(Duration.ofMillis(100));
		});
	}

	@Test
	void closingTheContextFinishesQueuedTasks() {
		this.contextRunner.run((context) -> {
			WorkerPools pools = context.getBean(WorkerPools.class);
			List<String> done = new CopyOnWriteArrayList<>();
			CountDownLatch release = new CountDownLatch(1);
			HeldPools.hold(pools, "tiny", release).doOnNext((held) -> done.add("running")).subscribe();
			pools.offload("tiny", () -> done.add("queued 1")).subscribe();
			pools.offload("tiny", () -> done.add("queued 2")).subscribe();
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
			await().untilAsserted(() -> assertThat(catchThrowable(() -> pools.offload("tiny", () -> "late").block()))
				.as("a closing pool takes no new work")
				.isInstanceOf(RejectedExecutionException.class)
				.hasMessage("Worker pool 'tiny' is shutting down"));
			assertThat(closing).isNotDone();
			release.countDown();
			closing.get(10, TimeUnit.SECONDS);
			assertThat(done).containsExactly("running", "queued 1", "queued 2");
		});
	}

	@Test
	void closingTheContextInterruptsTasksThatOutlastTheAwaitTermination(CapturedOutput output) {
		this.contextRunner.withPropertyValues("protevus.async.shutdown.await-termination=50ms").run((context) -> {
			WorkerPools pools = context.getBean(WorkerPools.class);
			AtomicBoolean interrupted = new AtomicBoolean();
			AtomicBoolean queuedRan = new AtomicBoolean();
			CountDownLatch started = new CountDownLatch(1);
			pools.offload("tiny", () -> {
				started.countDown();
				try {
					new CountDownLatch(1).await();
				}
				catch (InterruptedException ex) {
					interrupted.set(true);
				}
				return "interrupted";
			}).subscribe();
			pools.offload("tiny", () -> queuedRan.getAndSet(true)).subscribe();
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			long start = System.nanoTime();
			context.close();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			await().untilTrue(interrupted);
			assertThat(queuedRan).isFalse();
			assertThat(output).contains("Worker pool 'tiny' did not finish its work within PT0.05S")
				.contains("dropped 1 queued");
		});
	}

}
