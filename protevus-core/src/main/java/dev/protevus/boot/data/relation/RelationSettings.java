package dev.protevus.boot.data.relation;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How {@link Relations} batches its statements.
 *
 * @param chunkSize how many keys one statement binds at most; more keys take more
 * statements
 * @param lazyBatchWindow how long a lazy load waits for others of the same relation to
 * share its statement
 * @param lazyMaxBatchSize how many lazy loads share one statement at most; a full batch
 * is sent without waiting for the window to end
 * @since 0.1.0
 */
public record RelationSettings(int chunkSize, Duration lazyBatchWindow, int lazyMaxBatchSize) {

	public RelationSettings {
		Assert.isTrue(chunkSize > 0, () -> "chunkSize must be positive but was " + chunkSize);
		Assert.isTrue(lazyBatchWindow != null && lazyBatchWindow.compareTo(Duration.ZERO) > 0,
				() -> "lazyBatchWindow must be positive but was " + lazyBatchWindow);
		Assert.isTrue(lazyMaxBatchSize > 0, () -> "lazyMaxBatchSize must be positive but was " + lazyMaxBatchSize);
	}

	/**
	 * The defaults: 500 keys per statement, a 2 ms window, 500 lazy loads per batch.
	 * @return the default settings
	 */
	public static RelationSettings defaults() {
		return new RelationSettings(500, Duration.ofMillis(2), 500);
	}

}
