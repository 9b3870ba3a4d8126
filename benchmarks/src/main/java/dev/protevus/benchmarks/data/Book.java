package dev.protevus.benchmarks.data;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A child of the eager- and lazy-load benchmarks, read by every way of loading.
 *
 * @param id the book's id
 * @param authorId the id of its author, column {@code author_id}
 * @param title its title
 * @param published the year it was published
 * @since 0.1.0
 */
@Table("bench_books")
public record Book(@Id long id, long authorId, String title, int published) {

}
