package dev.protevus.boot.data.replica;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.protevus.boot.task.BackgroundScheduler;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * The read replicas of one primary: which of them takes the next read, in turn among
 * those available, and the periodic check that decides which are. The check runs on the
 * shared {@link BackgroundScheduler}, takes one connection of each replica's pool and, on
 * PostgreSQL, reads how far behind its replay is from
 * {@code pg_last_xact_replay_timestamp()}; it never blocks, and a check that does not
 * answer within its timeout counts as failed. A check still running when the next is due
 * is not started twice. A replica that cannot be reached, or is further behind than the
 * maximum lag, takes no reads until a check finds it well again. When none is available,
 * reads go to the primary, and that is logged once.
 *
 * @since 0.1.0
 */
public class ReadReplicas implements Disposable {

	private static final Log logger = LogFactory.getLog(ReadReplicas.class);

	/**
	 * How far behind a PostgreSQL replica is: nothing when it is not in recovery (a
	 * promoted replica or a plain server) or has replayed all it received (after a
	 * restart streaming starts again at the beginning of a WAL segment, behind what it
	 * replayed), else the time since the last transaction it replayed committed on the
	 * primary, unknown when it has replayed none since it started.
	 */
	static final String POSTGRES_LAG_QUERY = "SELECT pg_is_in_recovery() AS recovery, "
			+ "coalesce(pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn(), false) AS replayed, "
			+ "CAST(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000 AS BIGINT) AS lag";

	private final List<ReadReplica> replicas;

	private final Duration maxLag;

	private final Duration checkInterval;

	private final Duration checkTimeout;

	private final AtomicInteger turn = new AtomicInteger();

	private final AtomicBoolean noneAvailableLogged = new AtomicBoolean();

	private volatile Disposable checks = Disposables.disposed();

	private volatile Scheduler logging = Schedulers.immediate();

	/**
	 * Creates the replicas of a primary; none takes reads until it has been checked.
	 * @param replicas the replicas, at least one
	 * @param maxLag how far behind the primary a replica may be and still take reads
	 * @param checkInterval how often each replica is checked
	 * @param checkTimeout how long one check may take
	 */
	public ReadReplicas(List<ReadReplica> replicas, Duration maxLag, Duration checkInterval, Duration checkTimeout) {
		Assert.notEmpty(replicas, "replicas must not be empty");
		Assert.isTrue(!maxLag.isNegative(), () -> "maxLag must not be negative but was " + maxLag);
		Assert.isTrue(checkInterval.compareTo(Duration.ZERO) > 0,
				() -> "checkInterval must be positive but was " + checkInterval);
		Assert.isTrue(checkTimeout.compareTo(Duration.ZERO) > 0,
				() -> "checkTimeout must be positive but was " + checkTimeout);
		this.replicas = List.copyOf(replicas);
		this.maxLag = maxLag;
		this.checkInterval = checkInterval;
		this.checkTimeout = checkTimeout;
	}

	/**
	 * Starts checking the replicas at once and then every check interval.
	 * @param scheduler where the checks are started
	 */
	public void start(BackgroundScheduler scheduler) {
		this.checks.dispose();
		this.logging = scheduler.scheduler();
		this.checks = scheduler.schedulePeriodically("read replica checks", () -> check().subscribe(), Duration.ZERO,
				this.checkInterval);
	}

	/**
	 * The replicas, in the order they were configured.
	 * @return the replicas
	 */
	public List<ReadReplica> replicas() {
		return this.replicas;
	}

	/**
	 * How far behind the primary a replica may be and still take reads.
	 * @return the maximum lag
	 */
	public Duration maxLag() {
		return this.maxLag;
	}

	/**
	 * The replica that takes the next read: the available ones in turn.
	 * @return the replica, or {@code null} when none is available
	 */
	@Nullable
	public ReadReplica next() {
		int size = this.replicas.size();
		int start = Math.floorMod(this.turn.getAndIncrement(), size);
		for (int i = 0; i < size; i++) {
			ReadReplica replica = this.replicas.get((start + i) % size);
			if (replica.isAvailable()) {
				return replica;
			}
		}
		return null;
	}

	/**
	 * Takes a replica out of turn after one of its connections could not be opened; the
	 * next check that reaches it puts it back.
	 * @param replica the replica
	 * @param failure why its connection failed
	 */
	public void failed(ReadReplica replica, Throwable failure) {
		if (replica.isAvailable()) {
			logger.warn("Read replica " + replica + " failed to open a connection; its reads go elsewhere until the "
					+ "next check reaches it: " + failure);
		}
		replica.failed(describe(failure));
	}

	private static String describe(Throwable failure) {
		String message = failure.getMessage();
		return (message != null && !message.isBlank()) ? message : failure.getClass().getSimpleName();
	}

	/**
	 * Checks every replica once, each bounded by the check timeout, never failing.
	 * @return completes when every check is done
	 */
	public Mono<Void> check() {
		// The outcome is logged on the background scheduler, not on the driver's loops.
		return Flux.fromIterable(this.replicas)
			.flatMap(this::check)
			.then()
			.publishOn(this.logging)
			.then(Mono.fromRunnable(this::logAvailability));
	}

	private Mono<Void> check(ReadReplica replica) {
		if (!replica.checking.compareAndSet(false, true)) {
			return Mono.empty();
		}
		ConnectionFactory connectionFactory = replica.connectionFactory();
		return Mono.usingWhen(connectionFactory.create(), ReadReplicas::lag, Connection::close)
			.map(Lag::value)
			.timeout(this.checkTimeout)
			.doOnNext((lag) -> replica.checked(lag.orElse(null), this.maxLag))
			.doOnError((ex) -> replica.failed((ex instanceof TimeoutException)
					? "no answer within " + this.checkTimeout.toMillis() + " ms" : describe(ex)))
			.onErrorResume((ex) -> Mono.empty())
			.doFinally((signal) -> replica.checking.set(false))
			.then();
	}

	private void logAvailability() {
		boolean none = this.replicas.stream().noneMatch(ReadReplica::isAvailable);
		if (none && this.replicas.stream().allMatch(ReadReplica::isChecked)
				&& this.noneAvailableLogged.compareAndSet(false, true)) {
			logger
				.warn("No read replica is available, so reads go to the primary until one is: " + this.replicas.stream()
					.map((replica) -> replica.name() + " " + replica.reason())
					.collect(Collectors.joining("; ")));
		}
		else if (!none && this.noneAvailableLogged.compareAndSet(true, false)) {
			logger.info("Read replicas available again: " + this.replicas.stream()
				.filter(ReadReplica::isAvailable)
				.map(ReadReplica::name)
				.collect(Collectors.joining(", ")));
		}
	}

	private static Mono<Lag> lag(Connection connection) {
		String product = connection.getMetadata().getDatabaseProductName();
		if (product == null || !product.contains("PostgreSQL")) {
			// No portable way to read the lag: a replica that answers is taken as
			// current.
			return Mono.from(connection.validate(ValidationDepth.REMOTE))
				.flatMap((valid) -> valid ? Mono.just(new Lag(Duration.ZERO))
						: Mono.error(new IllegalStateException("the connection is not valid")));
		}
		return Flux.from(connection.createStatement(POSTGRES_LAG_QUERY).execute())
			.flatMap((result) -> result.map((row) -> {
				boolean recovering = Boolean.TRUE.equals(row.get("recovery", Boolean.class));
				boolean replayed = Boolean.TRUE.equals(row.get("replayed", Boolean.class));
				Long millis = row.get("lag", Long.class);
				if (!recovering || replayed) {
					return new Lag(Duration.ZERO);
				}
				return new Lag((millis != null) ? Duration.ofMillis(Math.max(0, millis)) : null);
			}))
			.next();
	}

	/**
	 * Stops the checks and closes every replica's pool.
	 */
	@Override
	public void dispose() {
		this.checks.dispose();
		for (ReadReplica replica : this.replicas) {
			if (replica.connectionFactory() instanceof Disposable disposable) {
				disposable.dispose();
			}
		}
	}

	@Override
	public boolean isDisposed() {
		return this.checks.isDisposed();
	}

	private record Lag(@Nullable Duration duration) {

		Optional<Duration> value() {
			return Optional.ofNullable(this.duration);
		}

	}

}
