package dev.protevus.boot.loadbalancer;

import java.net.URI;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.lang.Nullable;

/**
 * What the load balancer knows of one instance: requests in flight, active health,
 * passive ejection and circuit breaker. Updated from request completions and health
 * checks, read on every choice; every field is safe to read from any thread.
 *
 * @since 0.1.0
 */
public final class InstanceState {

	private final String serviceId;

	private final String key;

	private final URI uri;

	private final int weight;

	private final InstanceBreaker breaker;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final AtomicLong ejections = new AtomicLong();

	private volatile long ejectedUntilNanos;

	@Nullable
	private volatile Instant ejectedUntil;

	private volatile boolean healthy = true;

	private final AtomicBoolean checking = new AtomicBoolean();

	private int checkSuccesses;

	private int checkFailures;

	@Nullable
	private volatile Instant lastCheck;

	@Nullable
	private volatile String lastCheckResult;

	InstanceState(String serviceId, ServiceInstance instance, InstanceBreaker breaker) {
		this.serviceId = serviceId;
		this.key = key(instance);
		this.uri = instance.getUri();
		this.weight = weight(instance);
		this.breaker = breaker;
	}

	/**
	 * The key that identifies an instance in Protevus's state, meters and endpoint.
	 * @param instance the instance
	 * @return {@code host:port}
	 */
	public static String key(ServiceInstance instance) {
		return instance.getHost() + ":" + instance.getPort();
	}

	/**
	 * An instance's weight, from its {@code weight} metadata, as Spring Cloud
	 * LoadBalancer's weighted supplier reads it.
	 * @param instance the instance
	 * @return the weight, at least 1
	 */
	public static int weight(ServiceInstance instance) {
		String value = (instance.getMetadata() != null) ? instance.getMetadata().get("weight") : null;
		if (value == null) {
			return 1;
		}
		try {
			return Math.max(1, Integer.parseInt(value.trim()));
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

	public String serviceId() {
		return this.serviceId;
	}

	/**
	 * The instance as {@code host:port}.
	 * @return the key
	 */
	public String key() {
		return this.key;
	}

	public URI uri() {
		return this.uri;
	}

	public int weight() {
		return this.weight;
	}

	public InstanceBreaker breaker() {
		return this.breaker;
	}

	/**
	 * Requests sent to the instance and not answered yet.
	 * @return the requests in flight
	 */
	public int inFlight() {
		return this.inFlight.get();
	}

	/**
	 * How many times the instance was ejected.
	 * @return the ejections so far
	 */
	public long ejections() {
		return this.ejections.get();
	}

	/**
	 * Whether the last health checks found the instance healthy.
	 * @return the active health
	 */
	public boolean healthy() {
		return this.healthy;
	}

	/**
	 * Whether the instance is ejected now.
	 * @return whether ejected
	 */
	public boolean ejected() {
		long until = this.ejectedUntilNanos;
		return until != 0 && System.nanoTime() - until < 0;
	}

	/**
	 * When the current ejection ends.
	 * @return the end, or {@code null} when the instance is not ejected
	 */
	@Nullable
	public Instant ejectedUntil() {
		return ejected() ? this.ejectedUntil : null;
	}

	/**
	 * Whether the instance may get traffic now: healthy, not ejected, breaker closed.
	 * @return whether available
	 */
	public boolean available() {
		return this.healthy && !ejected() && this.breaker.permits();
	}

	@Nullable
	public Instant lastCheck() {
		return this.lastCheck;
	}

	@Nullable
	public String lastCheckResult() {
		return this.lastCheckResult;
	}

	/**
	 * Starts a health check unless one is still running.
	 * @return whether the check may start
	 */
	boolean startCheck() {
		return this.checking.compareAndSet(false, true);
	}

	void requestStarted() {
		this.inFlight.incrementAndGet();
	}

	void requestEnded() {
		this.inFlight.updateAndGet((value) -> Math.max(0, value - 1));
	}

	int failed() {
		return this.consecutiveFailures.incrementAndGet();
	}

	void succeeded() {
		if (this.consecutiveFailures.get() != 0) {
			this.consecutiveFailures.set(0);
		}
	}

	long eject(long nanos) {
		long count = this.ejections.incrementAndGet();
		this.ejectedUntilNanos = System.nanoTime() + nanos;
		this.ejectedUntil = Instant.now().plusNanos(nanos);
		this.consecutiveFailures.set(0);
		return count;
	}

	/**
	 * Records one active check's result.
	 * @return {@code true} when the instance's health changed
	 */
	synchronized boolean checked(boolean success, String result, int healthyThreshold, int unhealthyThreshold) {
		this.checking.set(false);
		this.lastCheck = Instant.now();
		this.lastCheckResult = result;
		if (success) {
			this.checkFailures = 0;
			this.checkSuccesses++;
			if (!this.healthy && this.checkSuccesses >= healthyThreshold) {
				this.healthy = true;
				return true;
			}
		}
		else {
			this.checkSuccesses = 0;
			this.checkFailures++;
			if (this.healthy && this.checkFailures >= unhealthyThreshold) {
				this.healthy = false;
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return this.serviceId + "/" + this.key;
	}

}
