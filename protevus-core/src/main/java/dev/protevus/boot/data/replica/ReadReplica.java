package dev.protevus.boot.data.replica;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.protevus.boot.data.pool.ConnectionPools;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * One read replica: its connection factory, which has a pool of its own, and what the
 * latest check found, which decides whether it takes reads.
 *
 * @since 0.1.0
 */
public final class ReadReplica {

	private final String name;

	private final String description;

	private final ConnectionFactory connectionFactory;

	final AtomicBoolean checking = new AtomicBoolean();

	private volatile State state = new State(false, false, null, "not checked yet");

	/**
	 * Creates a replica that takes no reads until it has been checked.
	 * @param name its name in health, meters and logs, such as {@code replica-1}
	 * @param description what it is, such as its URL without the password
	 * @param connectionFactory where its connections come from, usually its own pool
	 */
	public ReadReplica(String name, String description, ConnectionFactory connectionFactory) {
		Assert.hasText(name, "name must not be empty");
		this.name = name;
		this.description = description;
		this.connectionFactory = connectionFactory;
	}

	/**
	 * The replica's name in health, meters and logs.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * What the replica is, such as its URL without the password.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Where the replica's connections come from.
	 * @return the connection factory
	 */
	public ConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	/**
	 * The pool behind the replica's connection factory.
	 * @return the pool, or {@code null} when it is not pooled
	 */
	@Nullable
	public ConnectionPool pool() {
		return ConnectionPools.find(this.connectionFactory);
	}

	/**
	 * Whether the replica takes reads: its latest check reached it and found it no
	 * further behind the primary than allowed, and no connection has failed since.
	 * @return {@code true} when reads may go to it
	 */
	public boolean isAvailable() {
		return this.state.available();
	}

	/**
	 * Whether the replica has been checked, or has failed to open a connection, since it
	 * was created.
	 * @return {@code false} until then
	 */
	public boolean isChecked() {
		return this.state.checked();
	}

	/**
	 * How far behind the primary the latest check found the replica.
	 * @return the lag, or {@code null} when it is unknown: not checked yet, unreachable,
	 * or with nothing replayed
	 */
	@Nullable
	public Duration lag() {
		return this.state.lag();
	}

	/**
	 * Why the replica takes no reads.
	 * @return the reason, or {@code null} when it is available
	 */
	@Nullable
	public String reason() {
		return this.state.available() ? null : this.state.reason();
	}

	void checked(@Nullable Duration lag, Duration maxLag) {
		if (lag == null) {
			this.state = new State(true, false, null, "behind the primary by an unknown time");
		}
		else if (lag.compareTo(maxLag) > 0) {
			this.state = new State(true, false, lag, "behind the primary by " + lag.toMillis() + " ms");
		}
		else {
			this.state = new State(true, true, lag, null);
		}
	}

	void failed(String failure) {
		this.state = new State(true, false, null, "unreachable: " + failure);
	}

	@Override
	public String toString() {
		return this.name + " (" + this.description + ")";
	}

	private record State(boolean checked, boolean available, @Nullable Duration lag, @Nullable String reason) {

	}

}
