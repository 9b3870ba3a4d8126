/**
 * The r2dbc-pool side of Protevus's database support, usable without auto-configuration:
 * finding the pool behind wrapped connection factories, its utilization, its warm-up at
 * start-up, and the detection of connections held too long.
 */
@NonNullApi
package dev.protevus.boot.data.pool;

import org.springframework.lang.NonNullApi;
