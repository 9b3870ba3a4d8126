package dev.protevus.boot.queue;

import java.time.Duration;

import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * How a job is published: now or after a delay, and whether a job with the same
 * deduplication id published within a window is published again.
 *
 * @since 0.1.0
 */
public final class PublishOptions {

	/**
	 * How long a deduplication id is remembered unless said otherwise.
	 */
	public static final Duration DEFAULT_DEDUPLICATION_WINDOW = Duration.ofHours(1);

	private static final PublishOptions NONE = new PublishOptions(Duration.ZERO, null, DEFAULT_DEDUPLICATION_WINDOW);

	private final Duration delay;

	@Nullable
	private final String deduplicationId;

	private final Duration deduplicationWindow;

	private PublishOptions(Duration delay, @Nullable String deduplicationId, Duration deduplicationWindow) {
		this.delay = delay;
		this.deduplicationId = deduplicationId;
		this.deduplicationWindow = deduplicationWindow;
	}

	/**
	 * Publish now, without deduplication.
	 * @return the options
	 */
	public static PublishOptions none() {
		return NONE;
	}

	/**
	 * Publish a job that no listener gets before the delay has passed.
	 * @param delay the delay, zero for none
	 * @return the options
	 */
	public static PublishOptions delay(Duration delay) {
		return NONE.withDelay(delay);
	}

	/**
	 * Publish a job unless one with the same id was published within the last hour, in
	 * which case the earlier job's id is returned and nothing is published.
	 * @param id the deduplication id, such as an order number
	 * @return the options
	 */
	public static PublishOptions deduplicationId(String id) {
		return NONE.withDeduplicationId(id, DEFAULT_DEDUPLICATION_WINDOW);
	}

	/**
	 * These options with a delay.
	 * @param delay the delay, zero for none
	 * @return new options
	 */
	public PublishOptions withDelay(Duration delay) {
		Assert.notNull(delay, "delay must not be null");
		Assert.isTrue(!delay.isNegative(), () -> "delay must not be negative but was " + delay);
		return new PublishOptions(delay, this.deduplicationId, this.deduplicationWindow);
	}

	/**
	 * These options with deduplication.
	 * @param id the deduplication id
	 * @param window how long the id is remembered
	 * @return new options
	 */
	public PublishOptions withDeduplicationId(String id, Duration window) {
		Assert.hasText(id, "deduplication id must not be empty");
		Assert.isTrue(window.compareTo(Duration.ZERO) > 0,
				() -> "deduplication window must be positive but was " + window);
		return new PublishOptions(this.delay, id, window);
	}

	/**
	 * The delay.
	 * @return the delay, zero for none
	 */
	public Duration getDelay() {
		return this.delay;
	}

	/**
	 * The deduplication id.
	 * @return the id, or {@code null} for none
	 */
	@Nullable
	public String getDeduplicationId() {
		return this.deduplicationId;
	}

	/**
	 * How long the deduplication id is remembered.
	 * @return the window
	 */
	public Duration getDeduplicationWindow() {
		return this.deduplicationWindow;
	}

}
