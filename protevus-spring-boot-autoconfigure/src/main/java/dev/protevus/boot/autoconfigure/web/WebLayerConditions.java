package dev.protevus.boot.autoconfigure.web;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Conditions that switch a web filter on only when {@code protevus.web.*} gives it
 * something to do, so that a request pays for no filter that would pass it straight
 * through.
 */
final class WebLayerConditions {

	private WebLayerConditions() {
	}

	/**
	 * Matches when the bound settings say a part of the web layer has work to do.
	 */
	abstract static class WebLayerCondition extends SpringBootCondition {

		private final String name;

		private final Predicate<WebLayerProperties> active;

		private final Function<WebLayerProperties, String> setting;

		WebLayerCondition(String name, Predicate<WebLayerProperties> active,
				Function<WebLayerProperties, String> setting) {
			this.name = name;
			this.active = active;
			this.setting = setting;
		}

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			WebLayerProperties properties = Binder.get(context.getEnvironment())
				.bind(WebLayerProperties.PREFIX, WebLayerProperties.class)
				.orElseGet(WebLayerProperties::new);
			ConditionMessage message = ConditionMessage.forCondition(this.name).because(this.setting.apply(properties));
			return this.active.test(properties) ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
		}

	}

	/**
	 * Matches when {@code protevus.web.request-timeout} is positive.
	 */
	static class RequestTimeout extends WebLayerCondition {

		RequestTimeout() {
			super("Protevus request timeout", (properties) -> isPositive(properties.getRequestTimeout()),
					(properties) -> "protevus.web.request-timeout is " + properties.getRequestTimeout());
		}

		private static boolean isPositive(Duration duration) {
			return duration != null && !duration.isZero() && !duration.isNegative();
		}

	}

	/**
	 * Matches when {@code protevus.web.max-in-flight} is positive.
	 */
	static class MaxInFlight extends WebLayerCondition {

		MaxInFlight() {
			super("Protevus load shedding", (properties) -> properties.getMaxInFlight() > 0,
					(properties) -> "protevus.web.max-in-flight is " + properties.getMaxInFlight());
		}

	}

	/**
	 * Matches when ETags are on or {@code protevus.web.cache-control} has patterns.
	 */
	static class HttpCaching extends WebLayerCondition {

		HttpCaching() {
			super("Protevus HTTP caching headers",
					(properties) -> properties.isEtag() || !properties.getCacheControl().isEmpty(),
					(properties) -> "protevus.web.etag is " + properties.isEtag() + " and "
							+ properties.getCacheControl().size() + " cache-control patterns are set");
		}

	}

}
