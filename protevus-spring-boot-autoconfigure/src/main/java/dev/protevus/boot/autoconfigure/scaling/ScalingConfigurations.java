package dev.protevus.boot.autoconfigure.scaling;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.actuate.scaling.ScalingMeterBinder;
import dev.protevus.boot.async.EventLoopLag;
import dev.protevus.boot.data.PoolUtilization;
import dev.protevus.boot.scaling.RequestLatencies;
import dev.protevus.boot.scaling.RequestLatencyObservationHandler;
import dev.protevus.boot.scaling.ResourceLimits;
import dev.protevus.boot.scaling.ResourceUsage;
import dev.protevus.boot.scaling.ScalingAdvisor;
import dev.protevus.boot.scaling.ScalingLoadShedder;
import dev.protevus.boot.scaling.ScalingSignal;
import dev.protevus.boot.scaling.ScalingSignals;
import dev.protevus.boot.scaling.ScalingWebhook;
import dev.protevus.boot.scaling.VerticalRecommender;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The configurations that {@link ScalingAutoConfiguration} imports.
 */
abstract class ScalingConfigurations {

	/**
	 * The built-in signals, which the application's {@link ScalingSignal} beans of the
	 * same name replace.
	 */
	record BuiltInScalingSignals(List<ScalingSignal> signals) {

	}

	private static final String PREFIX = ScalingProperties.PREFIX + ".";

	private ScalingConfigurations() {
	}

	static List<ScalingSignal> featureSignals(ObjectProvider<EventLoopLag> eventLoopLag,
			ObjectProvider<PoolUtilization> pool) {
		return List.of(ScalingSignals.eventLoopLag(eventLoopLag::getIfUnique),
				ScalingSignals.poolUtilization(pool::getIfUnique), ScalingSignals.poolPending(pool::getIfUnique));
	}

	/**
	 * Built-in signals when Micrometer is present: its meters where a registry exists.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MeterSignalsConfiguration {

		@Bean
		BuiltInScalingSignals protevusBuiltInScalingSignals(ObjectProvider<MeterRegistry> registry,
				ObjectProvider<EventLoopLag> eventLoopLag, ObjectProvider<PoolUtilization> pool,
				RequestLatencies latencies) {
			List<ScalingSignal> signals = new ArrayList<>();
			MeterRegistry meters = registry.getIfUnique();
			if (meters != null) {
				signals.add(ScalingSignals.processCpu(meters));
				signals.add(ScalingSignals.systemCpu(meters));
				signals.add(ScalingSignals.heapAfterGc(meters));
				signals.add(ScalingSignals.gcPause(meters));
				signals.add(ScalingSignals.inFlight(meters));
				signals.add(ScalingSignals.requestRate(meters, System::nanoTime));
				signals.add(ScalingSignals.p99Latency(latencies));
				signals.add(ScalingSignals.workerQueue(meters));
			}
			else {
				signals.addAll(NoMeterSignalsConfiguration.unmeasured());
			}
			signals.addAll(featureSignals(eventLoopLag, pool));
			return new BuiltInScalingSignals(signals);
		}

		/**
		 * The latencies that the {@code p99-latency} signal reads.
		 */
		@Bean
		@ConditionalOnMissingBean
		RequestLatencies protevusRequestLatencies() {
			return new RequestLatencies();
		}

		/**
		 * Feeds the latencies from WebFlux's {@code http.server.requests} observations.
		 */
		@Bean
		@ConditionalOnClass(
				name = "org.springframework.http.server.reactive.observation.ServerRequestObservationContext")
		@ConditionalOnMissingBean
		RequestLatencyObservationHandler protevusRequestLatencyObservationHandler(RequestLatencies latencies) {
			return new RequestLatencyObservationHandler(latencies);
		}

	}

	/**
	 * Built-in signals without Micrometer: its signals are known by name but unmeasured.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("io.micrometer.core.instrument.MeterRegistry")
	static class NoMeterSignalsConfiguration {

		@Bean
		BuiltInScalingSignals protevusBuiltInScalingSignals(ObjectProvider<EventLoopLag> eventLoopLag,
				ObjectProvider<PoolUtilization> pool) {
			List<ScalingSignal> signals = new ArrayList<>(unmeasured());
			signals.addAll(featureSignals(eventLoopLag, pool));
			return new BuiltInScalingSignals(signals);
		}

		static List<ScalingSignal> unmeasured() {
			return List.of(unmeasured(ScalingSignals.CPU, ScalingSignal.RATIO),
					unmeasured(ScalingSignals.SYSTEM_CPU, ScalingSignal.RATIO),
					unmeasured(ScalingSignals.HEAP_AFTER_GC, ScalingSignal.RATIO),
					unmeasured(ScalingSignals.GC_PAUSE, ScalingSignal.RATIO),
					unmeasured(ScalingSignals.IN_FLIGHT, ScalingSignal.COUNT),
					unmeasured(ScalingSignals.REQUEST_RATE, ScalingSignal.PER_SECOND),
					unmeasured(ScalingSignals.P99_LATENCY, ScalingSignal.SECONDS),
					unmeasured(ScalingSignals.WORKER_QUEUE, ScalingSignal.RATIO));
		}

		private static ScalingSignal unmeasured(String name, String unit) {
			return ScalingSignal.of(name, unit, () -> Double.NaN);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = PREFIX + "vertical.enabled", matchIfMissing = true)
	static class VerticalConfiguration {

		@Bean
		@ConditionalOnMissingBean
		VerticalRecommender scalingVerticalRecommender(ScalingProperties properties) {
			return new VerticalRecommender(ResourceUsage.jvm(), ResourceLimits.detect(Path.of("/sys/fs/cgroup")),
					ScalingSettings.vertical(properties), Clock.systemDefaultZone());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = PREFIX + "shed.enabled")
	static class LoadSheddingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ScalingLoadShedder scalingLoadShedder(ScalingProperties properties, ApplicationEventPublisher events) {
			return new ScalingLoadShedder(events, ScalingSettings.shedThreshold(properties),
					ScalingSettings.shedHold(properties));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, RetryOperator.class })
	@ConditionalOnProperty(PREFIX + "webhook.url")
	static class WebhookConfiguration {

		@Bean(destroyMethod = "dispose")
		@ConditionalOnMissingBean
		ScalingWebhook scalingWebhook(ScalingProperties properties, ObjectProvider<WebClient.Builder> builder) {
			ScalingProperties.Webhook webhook = properties.getWebhook();
			String prefix = PREFIX + "webhook.";
			RetryConfig config = RetryConfig.custom()
				.maxAttempts((int) dev.protevus.boot.autoconfigure.PropertyChecks.positive(prefix + "max-attempts",
						webhook.getMaxAttempts(), "3"))
				.waitDuration(dev.protevus.boot.autoconfigure.PropertyChecks.notNegative(prefix + "wait-duration",
						webhook.getWaitDuration(), "1s", "retries at once"))
				.build();
			return new ScalingWebhook(builder.getIfAvailable(WebClient::builder).build(), webhook.getUrl(),
					dev.protevus.boot.autoconfigure.PropertyChecks.positive(prefix + "timeout", webhook.getTimeout(),
							"2s"),
					Retry.of("protevus-scaling-webhook", config));
		}

	}

	/**
	 * The scaling gauges.
	 */
	@Configuration(proxyBeanMethods = false)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ScalingMeterBinder scalingMeterBinder(ScalingAdvisor advisor, ScalingProperties properties) {
			return new ScalingMeterBinder(advisor, properties.getTargets().keySet());
		}

	}

}
