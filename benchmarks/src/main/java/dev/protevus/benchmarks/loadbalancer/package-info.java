/**
 * Load-balancer benchmarks: the cost of one choice per strategy, consistent-hash key
 * remapping, and the p99 of least-connections against round-robin under open-loop load.
 */
package dev.protevus.benchmarks.loadbalancer;
