package dev.protevus.boot.async;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.protevus.boot.task.BackgroundScheduler;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor on its own, with one event loop the test controls and the shared background
 * scheduler.
 */
class EventLoopLagMonitorTests {

	private static final Duration STALL = Duration.ofMillis(300);

	private final BackgroundScheduler scheduler = new BackgroundScheduler(1, 16);

	private final AtomicInteger probeRounds = new AtomicInteger();

	private final Set<String> senders = ConcurrentHashMap.newKeySet();

	private final DefaultEventExecutor loop = new DefaultEventExecutor();

	/**
	 * The loop, as the monitor walks it on every tick to send its probes.
	 */
	private final Iterable<EventExecutor> loops = () -> {
		this.probeRounds.incrementAndGet();
		this.senders.add(Thread.currentThread().getName());
		return List.<EventExecutor>of(this.loop).iterator();
	};

	private final EventLoopLagMonitor monitor = new EventLoopLagMonitor(() -> this.loops, this.scheduler,
			Duration.ofMillis(10), Duration.ofMillis(500));

	@AfterEach
	void stop() {
		this.monitor.stop();
		this.loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
		this.scheduler.dispose();
	}

	@Test
	void aStallOfKnownLengthShowsInMaxAndP99ThenLeavesTheWindow() {
		this.monitor.start();
		await().until(() -> this.probeRounds.get() > 0 && this.loop.pendingTasks() == 0);
		Stall stall = new Stall(this.loop, STALL);
		this.loop.execute(stall);
		// While the loop is held, its waiting probe counts with its age.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.monitor.max().compareTo(STALL) >= 0);
		await().atMost(Duration.ofSeconds(10)).untilTrue(stall.done);
		// The probe that waited behind the stall is a sample of at least its length; the
		// window holds fewer than 100 samples, so it is the 99th percentile too.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.monitor.p99()).isGreaterThanOrEqualTo(STALL));
		assertThat(this.monitor.max()).isGreaterThanOrEqualTo(this.monitor.p99());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.monitor.max().compareTo(Duration.ofMillis(100)) < 0
					&& this.monitor.p99().compareTo(Duration.ofMillis(100)) < 0);
	}

	@Test
	void probesAreSentFromTheSharedBackgroundScheduler() {
		this.monitor.start();
		await().until(() -> this.probeRounds.get() >= 3);
		assertThat(this.senders).isNotEmpty()
			.allSatisfy((name) -> assertThat(name).startsWith(BackgroundScheduler.THREAD_NAME_PREFIX));
	}

	@Test
	void noProbeIsSentOnceStopReturnsAndStartingAgainResumes() {
		this.monitor.start();
		assertThat(this.monitor.isRunning()).isTrue();
		await().until(() -> this.probeRounds.get() >= 3);
		this.monitor.stop();
		assertThat(this.monitor.isRunning()).isFalse();
		int sent = this.probeRounds.get();
		await().during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.probeRounds.get() == sent);
		this.monitor.start();
		await().until(() -> this.probeRounds.get() > sent);
		assertThat(this.monitor.isRunning()).isTrue();
	}

	/**
	 * Holds its event loop for a known time without blocking (which BlockHound would
	 * refuse on an event loop), counted from when a probe waits behind it, so that the
	 * probe's lag is at least that time.
	 */
	private static final class Stall implements Runnable {

		private final DefaultEventExecutor loop;

		private final long nanos;

		final AtomicBoolean done = new AtomicBoolean();

		Stall(DefaultEventExecutor loop, Duration length) {
			this.loop = loop;
			this.nanos = length.toNanos();
		}

		@Override
		public void run() {
			long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (this.loop.pendingTasks() == 0 && System.nanoTime() < giveUp) {
				// Not even Thread.onSpinWait(), which BlockHound counts as blocking.
			}
			long until = System.nanoTime() + this.nanos;
			while (System.nanoTime() < until) {
				// As above.
			}
			this.done.set(true);
		}

	}

}
