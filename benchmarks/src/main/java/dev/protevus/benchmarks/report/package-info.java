/**
 * The performance report: {@code docs/performance.md} and its charts, generated from the
 * raw results of one run of {@code benchmarks/run.sh}.
 */
@NonNullApi
package dev.protevus.benchmarks.report;

import org.springframework.lang.NonNullApi;
