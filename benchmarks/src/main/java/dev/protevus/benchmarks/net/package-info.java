/**
 * Network conditions for benchmarks: a proxy that puts a round trip between a benchmark
 * and its server on a machine that cannot delay packets itself.
 */
@NonNullApi
package dev.protevus.benchmarks.net;

import org.springframework.lang.NonNullApi;
