/**
 * The database layer under faults, over real HTTP on the embedded PostgreSQL.
 */
package dev.protevus.boot.autoconfigure.data.faults;
