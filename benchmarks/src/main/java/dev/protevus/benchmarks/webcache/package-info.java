/**
 * The server of the hot-key-over-HTTP variants of the web load benchmark, in a package of
 * its own so that neither it nor {@code JsonServer} scans the other.
 */
@NonNullApi
package dev.protevus.benchmarks.webcache;

import org.springframework.lang.NonNullApi;
