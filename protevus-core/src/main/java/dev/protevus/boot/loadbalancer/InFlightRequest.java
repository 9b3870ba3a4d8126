package dev.protevus.boot.loadbalancer;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.lang.Nullable;

/**
 * One load-balanced request's place in its instance's in-flight count, ended exactly
 * once: when Spring Cloud LoadBalancer reports the request complete, or when the caller
 * cancels the exchange, which Spring Cloud LoadBalancer's filters do not report. It
 * travels in the client request's attributes, which Spring Cloud LoadBalancer hands its
 * lifecycle hooks.
 */
final class InFlightRequest {

	static final String ATTRIBUTE = InFlightRequest.class.getName();

	private final AtomicBoolean ended = new AtomicBoolean();

	@Nullable
	private volatile InstanceState state;

	/**
	 * Counts the request in its instance's in-flight requests.
	 */
	void started(InstanceState state) {
		this.state = state;
		state.requestStarted();
		if (this.ended.get()) {
			// Cancelled while the instance was being chosen.
			state.requestEnded();
		}
	}

	/**
	 * Takes the request out of its instance's count, if it is in it and still counted.
	 * @return whether this call ended it
	 */
	boolean end() {
		if (!this.ended.compareAndSet(false, true)) {
			return false;
		}
		InstanceState current = this.state;
		if (current != null) {
			current.requestEnded();
		}
		return true;
	}

	/**
	 * The in-flight request that a load-balancer request carries, if the application's
	 * client put one there.
	 */
	@Nullable
	static InFlightRequest of(@Nullable Request<?> request) {
		if (request != null && request.getContext() instanceof RequestDataContext context) {
			RequestData data = context.getClientRequest();
			Object attribute = (data != null && data.getAttributes() != null) ? data.getAttributes().get(ATTRIBUTE)
					: null;
			return (attribute instanceof InFlightRequest inFlight) ? inFlight : null;
		}
		return null;
	}

}
