package dev.protevus.boot.scaling;

import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.util.Assert;

/**
 * Sheds load through Spring Boot's readiness state: when the worst value / target ratio
 * of the voting signals goes above a threshold, readiness becomes
 * {@link ReadinessState#REFUSING_TRAFFIC}, so that Kubernetes and load balancers stop
 * sending requests to this instance; once the ratio has stayed at or below the threshold
 * for the hold time, it becomes {@link ReadinessState#ACCEPTING_TRAFFIC} again. The hold
 * time is the hysteresis that keeps it from flapping. Liveness is never touched, so the
 * instance is not restarted for being busy; readiness is only given back when it was this
 * shedder that took it, and never after the context started closing.
 *
 * @since 0.1.0
 */
public class ScalingLoadShedder implements ScalingListener, ApplicationListener<ContextClosedEvent> {

	private static final Log logger = LogFactory.getLog(ScalingLoadShedder.class);

	private final ApplicationEventPublisher events;

	private final double threshold;

	private final Duration hold;

	private boolean refusing;

	private Instant calmSince;

	private volatile boolean closed;

	/**
	 * Creates a shedder.
	 * @param events where readiness changes are published
	 * @param threshold the worst ratio above which readiness refuses traffic
	 * @param hold how long the ratio must stay at or below the threshold before readiness
	 * accepts traffic again
	 */
	public ScalingLoadShedder(ApplicationEventPublisher events, double threshold, Duration hold) {
		Assert.isTrue(threshold > 0, () -> "threshold must be positive but was " + threshold);
		Assert.isTrue(!hold.isNegative(), () -> "hold must not be negative but was " + hold);
		this.events = events;
		this.threshold = threshold;
		this.hold = hold;
	}

	@Override
	public synchronized void sampled(ScalingRecommendation recommendation) {
		if (this.closed) {
			return;
		}
		Double worst = recommendation.horizontal().utilization();
		Instant now = recommendation.timestamp();
		if (worst != null && worst > this.threshold) {
			this.calmSince = null;
			if (!this.refusing) {
				this.refusing = true;
				logger.warn("Refusing traffic: '" + recommendation.horizontal().decidedBy() + "' is at "
						+ String.format("%.2f", worst) + " times its target, above " + this.threshold);
				AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
			}
			return;
		}
		if (this.refusing) {
			if (this.calmSince == null) {
				this.calmSince = now;
			}
			if (!now.isBefore(this.calmSince.plus(this.hold))) {
				this.refusing = false;
				this.calmSince = null;
				logger.info("Accepting traffic again: the worst ratio stayed at or below " + this.threshold + " for "
						+ this.hold);
				AvailabilityChangeEvent.publish(this.events, this, ReadinessState.ACCEPTING_TRAFFIC);
			}
		}
	}

	/**
	 * Whether it is refusing traffic now.
	 * @return {@code true} while readiness is refused by this shedder
	 */
	public synchronized boolean isShedding() {
		return this.refusing;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		this.closed = true;
	}

}
