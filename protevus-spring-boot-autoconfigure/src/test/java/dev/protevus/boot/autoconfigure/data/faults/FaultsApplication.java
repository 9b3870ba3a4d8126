package dev.protevus.boot.autoconfigure.data.faults;

import java.util.List;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.data.DataAutoConfiguration;
import dev.protevus.boot.autoconfigure.web.WebLayerAutoConfiguration;
import dev.protevus.boot.data.relation.HasMany;
import dev.protevus.boot.data.relation.Relations;
import dev.protevus.boot.test.StatementCounter;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.embedded.EmbeddedWebServerFactoryCustomizerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.HttpHandlerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A small service on the embedded PostgreSQL with Protevus's web layer and database
 * support, whose routes exercise what the fault tests need.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
@ImportAutoConfiguration({ ReactiveWebServerFactoryAutoConfiguration.class,
		EmbeddedWebServerFactoryCustomizerAutoConfiguration.class, WebFluxAutoConfiguration.class,
		ErrorWebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class, JacksonAutoConfiguration.class,
		CodecsAutoConfiguration.class, ProtevusAutoConfiguration.class, WebLayerAutoConfiguration.class,
		R2dbcAutoConfiguration.class, R2dbcDataAutoConfiguration.class, DataAutoConfiguration.class })
class FaultsApplication {

	static final String SCHEMA = """
			DROP TABLE IF EXISTS flt_book;
			DROP TABLE IF EXISTS flt_author;
			CREATE TABLE flt_author (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL);
			CREATE TABLE flt_book (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL REFERENCES flt_author (id),
				title VARCHAR(100) NOT NULL);
			CREATE INDEX flt_book_author ON flt_book (author_id);
			INSERT INTO flt_author SELECT a, 'Author ' || a FROM generate_series(1, 100) a;
			INSERT INTO flt_book SELECT b, (b - 1) / 3 + 1, 'Book ' || b FROM generate_series(1, 300) b;
			""";

	@Bean
	StatementCounter statementCounter() {
		return new StatementCounter();
	}

	@Bean
	RouterFunction<ServerResponse> faultRoutes(DatabaseClient database, R2dbcEntityTemplate template,
			Relations relations) {
		return RouterFunctions.route()
			.GET("/select",
					(request) -> database.sql("SELECT 1")
						.map((row) -> row.get(0, Integer.class))
						.one()
						.flatMap((one) -> ServerResponse.ok().bodyValue(one)))
			.GET("/sleep",
					(request) -> database.sql("SELECT pg_sleep(5)")
						.fetch()
						.rowsUpdated()
						.then(ServerResponse.ok().bodyValue("slept")))
			.GET("/authors/lazy-books",
					(request) -> template.select(Author.class)
						.all()
						.flatMap((author) -> relations.<Book>lazy(author, "books").map(List::size))
						.reduce(0, Integer::sum)
						.flatMap((books) -> ServerResponse.ok().bodyValue(books)))
			.GET("/authors/books-one-by-one",
					(request) -> template.select(Author.class)
						.matching(Query.empty().sort(org.springframework.data.domain.Sort.by("id")).limit(20))
						.all()
						.concatMap((author) -> template.select(Book.class)
							.matching(Query.query(Criteria.where("authorId").is(author.id())))
							.all()
							.count())
						.reduce(0L, Long::sum)
						.flatMap((books) -> ServerResponse.ok().bodyValue(books)))
			.build();
	}

	@Table("flt_author")
	record Author(@Id Long id, String name, @Transient @HasMany(foreignKey = "author_id") List<Book> books) {

		@PersistenceCreator
		Author(Long id, String name) {
			this(id, name, null);
		}

	}

	@Table("flt_book")
	record Book(@Id Long id, Long authorId, String title) {

	}

}
