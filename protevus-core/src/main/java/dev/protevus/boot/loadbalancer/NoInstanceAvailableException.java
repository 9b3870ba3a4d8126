package dev.protevus.boot.loadbalancer;

import java.time.Duration;

/**
 * A load-balanced service has no instance at all to send a request to. In a web request
 * it becomes a 503 problem with {@code Retry-After}.
 *
 * @since 0.1.0
 */
public class NoInstanceAvailableException extends RuntimeException {

	private final String serviceId;

	private final Duration retryAfter;

	/**
	 * Creates an exception.
	 * @param serviceId the service
	 * @param retryAfter when an instance may be there again
	 */
	public NoInstanceAvailableException(String serviceId, Duration retryAfter) {
		super("No instance of service '" + serviceId + "' is available");
		this.serviceId = serviceId;
		this.retryAfter = retryAfter;
	}

	public String getServiceId() {
		return this.serviceId;
	}

	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
