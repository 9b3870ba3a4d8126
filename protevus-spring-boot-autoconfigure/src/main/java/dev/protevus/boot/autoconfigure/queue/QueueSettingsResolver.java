package dev.protevus.boot.autoconfigure.queue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.PropertyChecks;
import dev.protevus.boot.queue.QueueSettings;

import org.springframework.core.env.Environment;
import org.springframework.lang.Nullable;

/**
 * Resolves and checks {@code protevus.queue.*} into each queue's {@link QueueSettings}: a
 * configured queue's own keys over the defaults, any other queue the defaults. Every
 * value that cannot work fails start-up with an {@link InvalidPropertyException} naming
 * its key.
 *
 * @since 0.1.0
 */
public class QueueSettingsResolver implements Function<String, QueueSettings> {

	static final String PREFIX = QueueProperties.PREFIX + ".";

	private final QueueSettings defaults;

	private final Map<String, QueueSettings> queues = new LinkedHashMap<>();

	private final String consumerGroup;

	/**
	 * Resolves and checks every setting.
	 * @param properties the bound properties
	 * @param environment where the application's name is read
	 */
	public QueueSettingsResolver(QueueProperties properties, Environment environment) {
		PropertyChecks.positive(PREFIX + "timeout", properties.getTimeout(), "2s");
		PropertyChecks.positive(PREFIX + "due-check-interval", properties.getDueCheckInterval(), "250ms");
		QueueProperties.Defaults defaults = properties.getDefaults();
		QueueProperties.Backoff backoff = defaults.getBackoff();
		this.defaults = settings(PREFIX + "defaults.", defaults.getConcurrency(), defaults.getMaxAttempts(),
				backoff.getInitial(), backoff.getMultiplier(), backoff.getMax(), defaults.getVisibilityTimeout(),
				defaults.getMaxLength());
		properties.getQueues().forEach((name, queue) -> {
			String prefix = PREFIX + "queues." + name + ".";
			if (name.isBlank() || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
				throw new InvalidPropertyException(PREFIX + "queues." + name, name,
						"a queue name must not be empty or contain braces",
						"Rename the queue under '" + PREFIX + "queues' without braces.");
			}
			QueueProperties.NamedBackoff named = queue.getBackoff();
			this.queues.put(name, settings(prefix, or(queue.getConcurrency(), defaults.getConcurrency()),
					or(queue.getMaxAttempts(), defaults.getMaxAttempts()), or(named.getInitial(), backoff.getInitial()),
					or(named.getMultiplier(), backoff.getMultiplier()), or(named.getMax(), backoff.getMax()),
					or(queue.getVisibilityTimeout(), defaults.getVisibilityTimeout()),
					or(queue.getMaxLength(), defaults.getMaxLength())));
		});
		String group = properties.getConsumerGroup();
		if (group == null) {
			String name = environment.getProperty("spring.application.name");
			group = (name != null && !name.isBlank()) ? name : "protevus";
		}
		if (group.isBlank()) {
			throw new InvalidPropertyException(PREFIX + "consumer-group", group, "it must not be empty",
					"Set '" + PREFIX + "consumer-group' to the service's name, or remove it.");
		}
		this.consumerGroup = group;
	}

	@Override
	public QueueSettings apply(String queue) {
		return this.queues.getOrDefault(queue, this.defaults);
	}

	/**
	 * The queues configured by name.
	 * @return their names
	 */
	public Set<String> configuredQueues() {
		return this.queues.keySet();
	}

	/**
	 * The consumer group of this service's instances.
	 * @return the group
	 */
	public String consumerGroup() {
		return this.consumerGroup;
	}

	private static QueueSettings settings(String prefix, int concurrency, int maxAttempts, Duration initial,
			double multiplier, Duration max, Duration visibilityTimeout, long maxLength) {
		PropertyChecks.positive(prefix + "concurrency", concurrency, "4");
		PropertyChecks.positive(prefix + "max-attempts", maxAttempts, "5");
		PropertyChecks.positive(prefix + "backoff.initial", initial, "1s");
		if (!(multiplier >= 1)) {
			throw new InvalidPropertyException(prefix + "backoff.multiplier", multiplier, "it must be at least 1",
					"Set '" + prefix + "backoff.multiplier' to 1 for a fixed wait, or more, such as 2.0.");
		}
		PropertyChecks.positive(prefix + "backoff.max", max, "5m");
		if (max.compareTo(initial) < 0) {
			throw new InvalidPropertyException(prefix + "backoff.max", max,
					"it must not be shorter than backoff.initial (" + initial + ")",
					"Set '" + prefix + "backoff.max' to at least " + initial + ".");
		}
		PropertyChecks.positive(prefix + "visibility-timeout", visibilityTimeout, "60s");
		PropertyChecks.positive(prefix + "max-length", maxLength, "1000000");
		return new QueueSettings(concurrency, maxAttempts, new QueueSettings.Backoff(initial, multiplier, max),
				visibilityTimeout, maxLength);
	}

	private static <T> T or(@Nullable T value, T fallback) {
		return (value != null) ? value : fallback;
	}

}
