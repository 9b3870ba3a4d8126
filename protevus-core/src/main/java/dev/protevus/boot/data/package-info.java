/**
 * Database access support over Spring Data R2DBC and r2dbc-pool, usable without
 * auto-configuration: the statement scope that N+1 detection counts in and its exception,
 * and the pool utilization other features read. Relations, query helpers, statement
 * observation, the pool and the web part live in the sub-packages.
 */
@NonNullApi
package dev.protevus.boot.data;

import org.springframework.lang.NonNullApi;
