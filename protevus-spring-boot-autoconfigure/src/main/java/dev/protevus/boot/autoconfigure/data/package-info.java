/**
 * Auto-configuration of Protevus's database support: it checks the
 * {@code protevus.data.*} properties, gives Spring Boot's pool keys their defaults, and
 * wires the runtime of {@code dev.protevus.boot.data} (pool warm-up, utilization and leak
 * detection, statement observation, relations, the data problem mapper) and the pool
 * health indicator and statement timer of {@code dev.protevus.boot.actuate.data}.
 */
@NonNullApi
package dev.protevus.boot.autoconfigure.data;

import org.springframework.lang.NonNullApi;
