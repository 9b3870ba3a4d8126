/**
 * JMH benchmarks of Protevus's database support against the hand-written SQL and plain
 * connection handling it stands in for, on PostgreSQL.
 */
@NonNullApi
package dev.protevus.benchmarks.data;

import org.springframework.lang.NonNullApi;
