package dev.protevus.boot.task;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class BackgroundSchedulerTests {

	private final BackgroundScheduler scheduler = new BackgroundScheduler(2, 10);

	@AfterEach
	void dispose() {
		this.scheduler.dispose();
	}

	@Test
	void periodicTaskKeepsRunningAfterARunFails() {
		AtomicInteger runs = new AtomicInteger();
		Disposable task = this.scheduler.schedulePeriodically("failing", () -> {
			if (runs.incrementAndGet() == 1) {
				throw new IllegalStateException("first run fails");
			}
		}, Duration.ZERO, Duration.ofMillis(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 3);
		task.dispose();
	}

	@Test
	void disposedPeriodicTaskStopsRunning() {
		AtomicInteger runs = new AtomicInteger();
		Disposable task = this.scheduler.schedulePeriodically("counting", runs::incrementAndGet, Duration.ZERO,
				Duration.ofMillis(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 1);
		task.dispose();
		int stopped = runs.get();
		await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> runs.get() <= stopped + 1);
	}

	@Test
	void runsOnNoMoreThreadsThanItsSize() throws InterruptedException {
		Set<String> threads = ConcurrentHashMap.newKeySet();
		CountDownLatch done = new CountDownLatch(8);
		for (int i = 0; i < 8; i++) {
			this.scheduler.schedule("naming", () -> {
				threads.add(Thread.currentThread().getName());
				done.countDown();
			}, Duration.ZERO);
		}
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(threads).hasSizeBetween(1, 2)
			.allSatisfy((name) -> assertThat(name).startsWith(BackgroundScheduler.THREAD_NAME_PREFIX));
	}

	@Test
	void needsAThreadAndRoomForATask() {
		assertThatIllegalArgumentException().isThrownBy(() -> new BackgroundScheduler(0, 10))
			.withMessageContaining("threads");
		assertThatIllegalArgumentException().isThrownBy(() -> new BackgroundScheduler(1, 0))
			.withMessageContaining("queuedTasks");
	}

}
