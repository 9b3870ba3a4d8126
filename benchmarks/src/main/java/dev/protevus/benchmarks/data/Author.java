package dev.protevus.benchmarks.data;

import java.util.List;

import dev.protevus.boot.data.relation.HasMany;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.lang.Nullable;

/**
 * The parent of the eager- and lazy-load benchmarks, with the relation that every way of
 * loading fills.
 *
 * @param id the author's id
 * @param name the author's name
 * @param books the author's books in id order, {@code null} until loaded
 * @since 0.1.0
 */
@Table("bench_authors")
public record Author(@Id long id, String name,
		@Nullable @Transient @HasMany(foreignKey = "author_id") List<Book> books) {

	/**
	 * Creates an author without books, as Spring Data reads one: no column holds the
	 * books.
	 * @param id the author's id
	 * @param name the author's name
	 */
	@PersistenceCreator
	public Author(long id, String name) {
		this(id, name, null);
	}

}
