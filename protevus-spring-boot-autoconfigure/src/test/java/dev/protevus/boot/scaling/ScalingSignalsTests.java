package dev.protevus.boot.scaling;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.protevus.boot.async.EventLoopLag;
import dev.protevus.boot.data.PoolUtilization;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScalingSignalsTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void micrometerSignalsAreNaNUntilTheirMetersExist() {
		assertThat(ScalingSignals.processCpu(this.registry).value()).isNaN();
		assertThat(ScalingSignals.heapAfterGc(this.registry).value()).isNaN();
		assertThat(ScalingSignals.inFlight(this.registry).value()).isNaN();
		assertThat(ScalingSignals.p99Latency(new RequestLatencies()).value()).isNaN();
		assertThat(ScalingSignals.workerQueue(this.registry).value()).isNaN();
		Gauge.builder("process.cpu.usage", () -> 0.42).register(this.registry);
		assertThat(ScalingSignals.processCpu(this.registry).value()).isEqualTo(0.42);
	}

	@Test
	void requestRateIsTheCountDifferenceOverTheElapsedTime() {
		AtomicLong nanos = new AtomicLong();
		Timer books = Timer.builder("http.server.requests").tag("uri", "/books").register(this.registry);
		Timer authors = Timer.builder("http.server.requests").tag("uri", "/authors").register(this.registry);
		ScalingSignal rate = ScalingSignals.requestRate(this.registry, nanos::get);
		assertThat(rate.value()).as("first read").isNaN();
		for (int i = 0; i < 30; i++) {
			books.record(Duration.ofMillis(1));
			authors.record(Duration.ofMillis(1));
		}
		nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
		assertThat(rate.value()).isEqualTo(30.0);
		nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
		assertThat(rate.value()).isZero();
	}

	@Test
	void workerQueueIsTheFillOfTheFullestExecutorQueue() throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4));
		try {
			ExecutorServiceMetrics.monitor(this.registry, executor, "reports", Tags.empty());
			for (int i = 0; i < 4; i++) {
				executor.execute(() -> {
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
			}
			// One runs, three wait in a queue of four.
			assertThat(ScalingSignals.workerQueue(this.registry).value()).isEqualTo(0.75);
		}
		finally {
			release.countDown();
			executor.shutdown();
		}
	}

	@Test
	void featureSignalsReadTheirInterfaces() {
		PoolUtilization pool = new PoolUtilization() {

			@Override
			public int acquired() {
				return 3;
			}

			@Override
			public int idle() {
				return 1;
			}

			@Override
			public int pending() {
				return 5;
			}

			@Override
			public int maxSize() {
				return 4;
			}

		};
		EventLoopLag lag = new EventLoopLag() {

			@Override
			public Duration max() {
				return Duration.ofMillis(200);
			}

			@Override
			public Duration p99() {
				return Duration.ofMillis(80);
			}

		};
		assertThat(ScalingSignals.poolUtilization(() -> pool).value()).isEqualTo(0.75);
		assertThat(ScalingSignals.poolPending(() -> pool).value()).isEqualTo(5.0);
		assertThat(ScalingSignals.eventLoopLag(() -> lag).value()).isEqualTo(0.08);
		assertThat(ScalingSignals.poolUtilization(() -> null).value()).isNaN();
		assertThat(ScalingSignals.eventLoopLag(() -> null).value()).isNaN();
	}

}
