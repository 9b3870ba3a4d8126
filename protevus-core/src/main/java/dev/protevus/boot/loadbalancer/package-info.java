/**
 * Load balancing on Spring Cloud LoadBalancer: least-connections and consistent-hash
 * strategies, static instance lists, active health checks, passive outlier ejection with
 * panic mode, and failover of idempotent requests.
 */
@NonNullApi
package dev.protevus.boot.loadbalancer;

import org.springframework.lang.NonNullApi;
