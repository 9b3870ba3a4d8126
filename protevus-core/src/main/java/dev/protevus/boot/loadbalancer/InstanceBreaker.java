package dev.protevus.boot.loadbalancer;

/**
 * A circuit breaker of one instance, fed with the outcome of every request sent to it;
 * while it is open the instance gets no traffic. Protevus's own is resilience4j's, from
 * the application's {@code CircuitBreakerRegistry}.
 *
 * @since 0.1.0
 */
public interface InstanceBreaker {

	/**
	 * A breaker that never opens.
	 */
	InstanceBreaker NONE = new InstanceBreaker() {

		@Override
		public boolean permits() {
			return true;
		}

		@Override
		public void onSuccess() {
		}

		@Override
		public void onError(Throwable failure) {
		}

		@Override
		public String state() {
			return "NONE";
		}

	};

	/**
	 * Whether the instance may get traffic now.
	 * @return {@code false} while the breaker is open
	 */
	boolean permits();

	/**
	 * Records a request that succeeded.
	 */
	void onSuccess();

	/**
	 * Records a request that failed.
	 * @param failure what it failed with
	 */
	void onError(Throwable failure);

	/**
	 * The breaker's state, for display.
	 * @return the state's name
	 */
	String state();

	/**
	 * Creates the breaker of each instance.
	 */
	@FunctionalInterface
	interface Factory {

		/**
		 * Factory of breakers that never open.
		 */
		Factory NONE = (serviceId, instance) -> InstanceBreaker.NONE;

		/**
		 * The breaker of one instance.
		 * @param serviceId the service
		 * @param instance the instance, as {@code host:port}
		 * @return the breaker
		 */
		InstanceBreaker create(String serviceId, String instance);

	}

}
