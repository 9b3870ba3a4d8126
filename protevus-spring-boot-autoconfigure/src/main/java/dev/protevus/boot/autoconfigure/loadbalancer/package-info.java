/**
 * Auto-configuration of Protevus load balancing on Spring Cloud LoadBalancer.
 */
@NonNullApi
package dev.protevus.boot.autoconfigure.loadbalancer;

import org.springframework.lang.NonNullApi;
