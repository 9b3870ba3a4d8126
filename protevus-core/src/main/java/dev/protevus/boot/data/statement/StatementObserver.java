package dev.protevus.boot.data.statement;

import java.time.Duration;

import reactor.util.context.ContextView;

/**
 * Told about every statement the application's connection factory executes, through
 * {@link ObservedStatements}: the slow-statement log, N+1 detection and statement metrics
 * are observers, and so can an application's own code be.
 *
 * @since 0.1.0
 */
public interface StatementObserver {

	/**
	 * A statement is about to run, in the reactive context of its subscriber. Throwing
	 * fails the statement.
	 * @param sql the statement's text
	 * @param context the subscriber's context
	 */
	default void executing(String sql, ContextView context) {
	}

	/**
	 * A statement has run and the caller has read its results.
	 * @param sql the statement's text
	 * @param duration from execution until the caller finished reading the last result
	 * @param success whether no error occurred
	 * @param bound whether values were bound to it
	 */
	default void executed(String sql, Duration duration, boolean success, boolean bound) {
	}

}
