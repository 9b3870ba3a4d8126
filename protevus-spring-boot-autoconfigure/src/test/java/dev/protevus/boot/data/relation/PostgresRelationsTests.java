package dev.protevus.boot.data.relation;

import java.util.List;

import dev.protevus.boot.test.TestPostgres;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Relations} on the embedded PostgreSQL of protevus-spring-boot-test, where one
 * array parameter carries all keys.
 */
class PostgresRelationsTests extends RelationsTests {

	@Override
	ConnectionFactoryOptions connectionOptions() {
		TestPostgres postgres = TestPostgres.get();
		ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(postgres.r2dbcUrl()).mutate();
		if (postgres.username() != null) {
			options.option(ConnectionFactoryOptions.USER, postgres.username());
		}
		return options.build();
	}

	@Override
	String keyCondition() {
		return "= ANY(";
	}

	@Override
	int statementsFor(int keys, int chunkSize) {
		return 1;
	}

	@Test
	void defaultSettingsLoadAHundredAuthorsWithTheirBooksAndReviewsInThreeStatements() {
		List<Author> loaded = this.relations
			.load(this.template.select(Author.class).all().filter((author) -> author.id() <= AUTHORS), "books",
					"books.reviews")
			.collectList()
			.block();
		assertThat(this.statements).hasSize(3);
		assertThat(loaded).hasSize(AUTHORS)
			.allSatisfy((author) -> assertThat(author.books()).hasSize(10)
				.allSatisfy((book) -> assertThat(book.reviews()).hasSize(5)));
	}

}
