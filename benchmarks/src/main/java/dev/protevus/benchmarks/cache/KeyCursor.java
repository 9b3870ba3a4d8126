package dev.protevus.benchmarks.cache;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Walks the key set in order, one cursor per benchmark thread so that threads share no
 * counter and both sides of a comparison read the same sequence of keys.
 *
 * @since 0.1.0
 */
@State(Scope.Thread)
public class KeyCursor {

	private int index;

	/**
	 * The index of the next key, wrapping around at the end of the key set.
	 * @return an index into {@link CacheFixtures#keys()}
	 */
	public int next() {
		int current = this.index;
		this.index = (current + 1 == CacheFixtures.KEY_COUNT) ? 0 : current + 1;
		return current;
	}

}
