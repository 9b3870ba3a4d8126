/**
 * Relations for Spring Data R2DBC, which maps no associations: {@code @HasMany},
 * {@code @HasOne}, {@code @BelongsTo} and {@code @ManyToMany} on transient properties,
 * loaded eagerly with one statement per relation level or lazily with batched statements,
 * never one statement per parent.
 */
@NonNullApi
package dev.protevus.boot.data.relation;

import org.springframework.lang.NonNullApi;
