/**
 * Database access support: relation loading, query helpers, pool utilization and N+1
 * detection over Spring Data R2DBC and r2dbc-pool.
 */
package dev.protevus.boot.data;
