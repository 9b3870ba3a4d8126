package dev.protevus.boot.autoconfigure.scaling;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.protevus.boot.autoconfigure.ConditionalOnProtevusEnabled;
import dev.protevus.boot.autoconfigure.scaling.ScalingConfigurations.BuiltInScalingSignals;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.scaling.HorizontalRecommender;
import dev.protevus.boot.scaling.ScalingAdvisor;
import dev.protevus.boot.scaling.ScalingListener;
import dev.protevus.boot.scaling.ScalingSignal;
import dev.protevus.boot.scaling.ScalingSignals;
import dev.protevus.boot.scaling.VerticalRecommender;
import dev.protevus.boot.task.BackgroundScheduler;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Scaling advice: samples every {@link ScalingSignal} (the built-in ones and the
 * application's beans) on the shared {@link BackgroundScheduler} and computes the
 * HPA-style replica recommendation and the VPA-style sizing advice, with load shedding
 * and the webhook when configured. The endpoint and gauges have auto-configurations of
 * their own.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ProtevusAutoConfiguration.class)
@ConditionalOnProtevusEnabled
@ConditionalOnBooleanProperty(name = ScalingProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnClass(Mono.class)
@ConditionalOnBean(BackgroundScheduler.class)
@EnableConfigurationProperties(ScalingProperties.class)
@Import({ ScalingConfigurations.MeterSignalsConfiguration.class,
		ScalingConfigurations.NoMeterSignalsConfiguration.class, ScalingConfigurations.VerticalConfiguration.class,
		ScalingConfigurations.LoadSheddingConfiguration.class, ScalingConfigurations.WebhookConfiguration.class })
public class ScalingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ScalingAdvisor scalingAdvisor(ScalingProperties properties, BuiltInScalingSignals builtIn,
			ObjectProvider<ScalingSignal> applicationSignals, ObjectProvider<ScalingListener> listeners,
			ObjectProvider<VerticalRecommender> vertical, BackgroundScheduler scheduler,
			ApplicationEventPublisher events) {
		List<ScalingSignal> signals = signals(applicationSignals.orderedStream().toList(), builtIn.signals());
		Map<String, String> units = new LinkedHashMap<>();
		units.put(ScalingSignals.QUEUE_LAG, ScalingSignal.SECONDS);
		units.put(ScalingSignals.LOAD_BALANCER, ScalingSignal.RATIO);
		signals.forEach((signal) -> units.put(signal.name(), signal.unit()));
		Clock clock = Clock.systemDefaultZone();
		HorizontalRecommender horizontal = new HorizontalRecommender(ScalingSettings.policy(properties, units), clock);
		return new ScalingAdvisor(signals, horizontal, vertical.getIfAvailable(),
				ScalingSettings.currentReplicas(properties), clock, events, listeners.orderedStream().toList(),
				scheduler, ScalingSettings.interval(properties));
	}

	/**
	 * The application's signals, then the built-in ones whose names the application did
	 * not take; the first of several signals of one name wins.
	 */
	private static List<ScalingSignal> signals(List<ScalingSignal> application, List<ScalingSignal> builtIn) {
		Map<String, ScalingSignal> byName = new LinkedHashMap<>();
		application.forEach((signal) -> byName.putIfAbsent(signal.name(), signal));
		builtIn.forEach((signal) -> byName.putIfAbsent(signal.name(), signal));
		return new ArrayList<>(byName.values());
	}

}
