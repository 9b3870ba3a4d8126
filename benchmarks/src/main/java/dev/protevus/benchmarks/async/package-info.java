/**
 * JMH benchmarks of Protevus's worker pools against Reactor's own schedulers.
 */
@NonNullApi
package dev.protevus.benchmarks.async;

import org.springframework.lang.NonNullApi;
