package dev.protevus.boot.scaling;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.protevus.boot.task.BackgroundScheduler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * Reads every {@link ScalingSignal} periodically on the shared
 * {@link BackgroundScheduler}, never on a request's thread, runs the
 * {@link HorizontalRecommender} and, when set, the {@link VerticalRecommender}, and keeps
 * the latest {@link ScalingRecommendation} for the endpoint and gauges to read. It tells
 * each {@link ScalingListener} of every sample and publishes a
 * {@link ScalingRecommendationChangedEvent} when the desired count or verdict changes.
 *
 * @since 0.1.0
 */
public class ScalingAdvisor implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ScalingAdvisor.class);

	private final List<ScalingSignal> signals;

	private final HorizontalRecommender horizontal;

	@Nullable
	private final VerticalRecommender vertical;

	private final int currentReplicas;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final List<ScalingListener> listeners;

	private final BackgroundScheduler scheduler;

	private final Duration interval;

	private final AtomicReference<ScalingRecommendation> latest = new AtomicReference<>();

	@Nullable
	private volatile Disposable sampling;

	/**
	 * Creates an advisor.
	 * @param signals the signals, with distinct names
	 * @param horizontal computes the replica count
	 * @param vertical computes requests and limits, {@code null} for none
	 * @param currentReplicas how many replicas run now
	 * @param clock the time of each sample
	 * @param events where change events are published
	 * @param listeners told of every sample
	 * @param scheduler runs the sampling
	 * @param interval time between two samples
	 */
	public ScalingAdvisor(List<ScalingSignal> signals, HorizontalRecommender horizontal,
			@Nullable VerticalRecommender vertical, int currentReplicas, Clock clock, ApplicationEventPublisher events,
			List<ScalingListener> listeners, BackgroundScheduler scheduler, Duration interval) {
		Assert.isTrue(currentReplicas > 0, () -> "currentReplicas must be positive but was " + currentReplicas);
		Assert.isTrue(interval.compareTo(Duration.ZERO) > 0, () -> "interval must be positive but was " + interval);
		Assert.isTrue(signals.stream().map(ScalingSignal::name).distinct().count() == signals.size(),
				() -> "signal names must be distinct but were " + signals.stream().map(ScalingSignal::name).toList());
		this.signals = List.copyOf(signals);
		this.horizontal = horizontal;
		this.vertical = vertical;
		this.currentReplicas = currentReplicas;
		this.clock = clock;
		this.events = events;
		this.listeners = List.copyOf(listeners);
		this.scheduler = scheduler;
		this.interval = interval;
	}

	/**
	 * The signals it reads.
	 * @return the signals
	 */
	public List<ScalingSignal> signals() {
		return this.signals;
	}

	/**
	 * The latest recommendation, which the sampling keeps fresh; reading it costs
	 * nothing.
	 * @return the latest recommendation, {@code null} before the first sample
	 */
	@Nullable
	public ScalingRecommendation latest() {
		return this.latest.get();
	}

	/**
	 * Reads the signals and computes a recommendation now. The scheduled sampling calls
	 * it; tests may too.
	 * @return the recommendation
	 */
	public synchronized ScalingRecommendation sample() {
		Map<String, Double> values = new LinkedHashMap<>();
		Map<String, String> units = new LinkedHashMap<>();
		for (ScalingSignal signal : this.signals) {
			values.put(signal.name(), read(signal));
			units.put(signal.name(), signal.unit());
		}
		HorizontalRecommendation horizontal = this.horizontal.recommend(this.currentReplicas, values, units);
		VerticalRecommendation vertical = (this.vertical != null) ? this.vertical.sample(values) : null;
		ScalingRecommendation recommendation = new ScalingRecommendation(this.clock.instant(), horizontal, vertical);
		ScalingRecommendation previous = this.latest.getAndSet(recommendation);
		for (ScalingListener listener : this.listeners) {
			try {
				listener.sampled(recommendation);
			}
			catch (RuntimeException ex) {
				logger.warn("Scaling listener " + listener + " failed", ex);
			}
		}
		if (previous == null || previous.horizontal().desiredReplicas() != horizontal.desiredReplicas()
				|| previous.horizontal().verdict() != horizontal.verdict()) {
			this.events.publishEvent(new ScalingRecommendationChangedEvent(this, recommendation, previous));
		}
		return recommendation;
	}

	private static double read(ScalingSignal signal) {
		try {
			return signal.value();
		}
		catch (RuntimeException ex) {
			logger.debug("Scaling signal '" + signal.name() + "' could not be read", ex);
			return Double.NaN;
		}
	}

	@Override
	public void start() {
		if (this.sampling == null) {
			this.sampling = this.scheduler.schedulePeriodically("scaling-sample", this::sample, Duration.ZERO,
					this.interval);
		}
	}

	@Override
	public void stop() {
		Disposable sampling = this.sampling;
		if (sampling != null) {
			sampling.dispose();
			this.sampling = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.sampling != null;
	}

}
