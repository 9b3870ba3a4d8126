package dev.protevus.boot.autoconfigure.web;

import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Conditions that switch a web filter on only when {@code protevus.web.*} gives it something to
 * do, so that a request pays for no filter that would pass it straight through.
 */
final class WebLayerConditions {

	private WebLayerConditions() {
	}

	private static WebLayerProperties bind(ConditionContext context) {
		return Binder.get(context.getEnvironment())
			.bind(WebLayerProperties.PREFIX, WebLayerProperties.class)
			.orElseGet(WebLayerProperties::new);
	}

	/**
	 * Matches when {@code protevus.web.request-timeout} is positive.
	 */
	static class RequestTimeout extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("Protevus request timeout");
			Duration timeout = bind(context).getRequestTimeout();
			if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
				return ConditionOutcome.match(message.because("protevus.web.request-timeout is " + timeout));
			}
			return ConditionOutcome.noMatch(message.because("protevus.web.request-timeout is " + timeout));
		}

	}

	/**
	 * Matches when {@code protevus.web.max-in-flight} is positive.
	 */
	static class MaxInFlight extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("Protevus load shedding");
			int maxInFlight = bind(context).getMaxInFlight();
			if (maxInFlight > 0) {
				return ConditionOutcome.match(message.because("protevus.web.max-in-flight is " + maxInFlight));
			}
			return ConditionOutcome.noMatch(message.because("protevus.web.max-in-flight is " + maxInFlight));
		}

	}

	/**
	 * Matches when ETags are on or {@code protevus.web.cache-control} has patterns.
	 */
	static class HttpCaching extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("Protevus HTTP caching headers");
			WebLayerProperties properties = bind(context);
			if (properties.isEtag() || !properties.getCacheControl().isEmpty()) {
				return ConditionOutcome.match(message.because("protevus.web.etag is " + properties.isEtag() + " and "
						+ properties.getCacheControl().size() + " cache-control patterns are set"));
			}
			return ConditionOutcome
				.noMatch(message.because("protevus.web.etag is false and no cache-control pattern is set"));
		}

	}

}
