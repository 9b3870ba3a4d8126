package dev.protevus.boot.data;

import java.time.Duration;

import io.r2dbc.spi.R2dbcTimeoutException;

/**
 * A statement ran longer than {@code protevus.data.statement-timeout}, counted from its
 * execution until its results were read: Protevus cancelled it and closed its connection,
 * which the pool then replaces. A web request answers it with {@code 504}.
 *
 * @since 0.1.0
 */
public class StatementTimeoutException extends R2dbcTimeoutException {

	private static final long serialVersionUID = 1L;

	private final transient Duration timeout;

	/**
	 * Creates an exception for a statement that ran out of time.
	 * @param timeout the time it was allowed
	 */
	public StatementTimeoutException(Duration timeout) {
		super("Statement did not complete within " + timeout.toMillis() + "ms; cancelled and its connection closed");
		this.timeout = timeout;
	}

	/**
	 * The time the statement was allowed.
	 * @return the statement timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

}
