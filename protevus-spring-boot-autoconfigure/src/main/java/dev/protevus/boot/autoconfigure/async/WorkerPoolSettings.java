package dev.protevus.boot.autoconfigure.async;

import java.time.Duration;

/**
 * The checked settings of one worker pool.
 */
record WorkerPoolSettings(String name, int threads, int queueCapacity, Duration keepAlive, boolean virtual) {

}
