/**
 * Runs a family of JMH benchmarks in one warmed JVM.
 */
@NonNullApi
package dev.protevus.benchmarks.jmh;

import org.springframework.lang.NonNullApi;
