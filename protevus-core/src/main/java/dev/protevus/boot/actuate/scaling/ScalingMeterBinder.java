package dev.protevus.boot.actuate.scaling;

import java.util.Set;

import dev.protevus.boot.scaling.ScalingAdvisor;
import dev.protevus.boot.scaling.ScalingRecommendation;
import dev.protevus.boot.scaling.SignalReading;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The scaling gauges, for Prometheus and from there the HPA (external metrics through
 * prometheus-adapter) or KEDA's Prometheus scaler:
 * {@code protevus.scaling.desired.replicas} and {@code protevus.scaling.utilization}
 * (value / target, tagged {@code signal}) for each voting signal. They read the latest
 * sample and are {@code NaN} before the first one or while a signal has no value.
 *
 * @since 0.1.0
 */
public class ScalingMeterBinder implements MeterBinder {

	private final ScalingAdvisor advisor;

	private final Set<String> votingSignals;

	/**
	 * Creates the binder.
	 * @param advisor the advisor whose latest recommendation the gauges read
	 * @param votingSignals the names of the signals that have a target
	 */
	public ScalingMeterBinder(ScalingAdvisor advisor, Set<String> votingSignals) {
		this.advisor = advisor;
		this.votingSignals = Set.copyOf(votingSignals);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("protevus.scaling.desired.replicas", this.advisor, (advisor) -> {
			ScalingRecommendation latest = advisor.latest();
			return (latest != null) ? latest.horizontal().desiredReplicas() : Double.NaN;
		}).description("Replica count that Protevus's HPA-style recommendation asks for").register(registry);
		for (String signal : this.votingSignals) {
			Gauge.builder("protevus.scaling.utilization", this.advisor, (advisor) -> ratio(advisor, signal))
				.tag("signal", signal)
				.description("Value of a scaling signal divided by its target; above 1 asks for more replicas")
				.register(registry);
		}
	}

	private static double ratio(ScalingAdvisor advisor, String signal) {
		ScalingRecommendation latest = advisor.latest();
		if (latest == null) {
			return Double.NaN;
		}
		for (SignalReading reading : latest.horizontal().signals()) {
			if (reading.name().equals(signal)) {
				return (reading.ratio() != null) ? reading.ratio() : Double.NaN;
			}
		}
		return Double.NaN;
	}

}
