/**
 * The job queue on Redis Streams, end to end, against a hand-written Lettuce loop on the
 * same Redis.
 */
@NonNullApi
package dev.protevus.benchmarks.queue;

import org.springframework.lang.NonNullApi;
