/**
 * Queries that move as little data as they can over Spring Data R2DBC: keyset pagination
 * that seeks instead of skipping rows, and batch inserts that cost one round trip per
 * batch.
 * <p>
 * There is no projection helper here because Spring Data R2DBC already selects only what
 * a projection needs: {@code template.select(Book.class).as(BookSummary.class)} with a
 * DTO class, record or closed interface selects just the columns of its properties,
 * mapped through the entity's column names.
 * {@link dev.protevus.boot.data.query.KeysetPagination#as(Class)} projects the same way.
 */
@NonNullApi
package dev.protevus.boot.data.query;

import org.springframework.lang.NonNullApi;
