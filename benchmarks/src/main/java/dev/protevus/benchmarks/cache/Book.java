package dev.protevus.benchmarks.cache;

import java.io.Serializable;

/**
 * The cached value: small, like most entries in an application cache. Serializable for
 * Spring's default Redis cache, which writes values with JDK serialization.
 *
 * @param id the book's id
 * @param title its title
 * @param year the year it was published
 * @since 0.1.0
 */
public record Book(long id, String title, int year) implements Serializable {

}
