/**
 * Auto-configuration of Protevus's database support: pool defaults, warm-up, health,
 * utilization and leak detection, statement metrics, the slow-statement log and N+1
 * detection.
 */
package dev.protevus.boot.autoconfigure.data;
