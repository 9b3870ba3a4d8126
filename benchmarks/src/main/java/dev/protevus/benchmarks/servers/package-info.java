/**
 * The servers a benchmark run needs when the machine has none: embedded PostgreSQL and
 * Redis from protevus-spring-boot-test.
 */
@NonNullApi
package dev.protevus.benchmarks.servers;

import org.springframework.lang.NonNullApi;
