package dev.protevus.benchmarks.data;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A row of the large table that the pagination benchmark pages through by title.
 *
 * @param id the book's id, which breaks ties between equal titles
 * @param title its title, shared by a few books
 * @param published the year it was published
 * @since 0.1.0
 */
@Table("bench_paged_books")
public record PagedBook(@Id long id, String title, int published) {

}
