package dev.protevus.boot.loadbalancer;

import java.util.Set;

/**
 * How many instances of each load-balanced service can take traffic, for features that
 * react to capacity (scaling recommendations) without depending on Spring Cloud
 * LoadBalancer.
 *
 * @since 0.1.0
 */
public interface LoadBalancerState {

	/**
	 * The services seen so far.
	 * @return their names
	 */
	Set<String> serviceIds();

	/**
	 * Instances of a service that take traffic: healthy and not ejected.
	 * @param serviceId the service
	 * @return the healthy instances, 0 for an unknown service
	 */
	int healthyInstances(String serviceId);

	/**
	 * Instances of a service known to the load balancer.
	 * @param serviceId the service
	 * @return the instances, 0 for an unknown service
	 */
	int totalInstances(String serviceId);

}
