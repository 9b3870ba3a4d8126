package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.data.query.KeysetPage;
import dev.protevus.boot.data.query.KeysetPagination;
import dev.protevus.boot.data.query.KeysetPaginations;
import dev.protevus.boot.data.relation.HasMany;
import dev.protevus.boot.data.relation.Relations;
import dev.protevus.boot.data.replica.ReadReplica;
import dev.protevus.boot.data.replica.ReadReplicas;
import dev.protevus.boot.data.replica.ReplicaReads;
import dev.protevus.boot.test.TestPostgres;
import dev.protevus.boot.test.TestPostgresReplica;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.data.relational.core.query.Update;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read replicas against a real streaming replica of the test PostgreSQL
 * ({@link TestPostgresReplica}), with the statements each server ran counted by the
 * server itself in {@code pg_stat_statements}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DataReplicasPostgresTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String AUTHORS = "replica_authors";

	private static final String BOOKS = "replica_books";

	private static TestPostgresReplica replica;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, R2dbcAutoConfiguration.class,
				R2dbcDataAutoConfiguration.class, R2dbcTransactionManagerAutoConfiguration.class,
				TransactionAutoConfiguration.class, DataAutoConfiguration.class))
		.withPropertyValues(TestPostgres.get().propertyValues())
		.withPropertyValues("spring.r2dbc.pool.initial-size=1", "spring.r2dbc.pool.max-size=2",
				"spring.r2dbc.pool.max-acquire-time=2s", "protevus.data.replica-check-interval=100ms",
				"protevus.data.replica-max-lag=1s");

	@BeforeAll
	static void createSchemaOnThePrimaryAndAwaitTheReplica() {
		Assumptions.assumeTrue(TestPostgres.get().isEmbedded(), "a streaming replica needs the embedded PostgreSQL");
		replica = TestPostgresReplica.get();
		ConnectionFactory primary = ConnectionFactories
			.get(ConnectionFactoryOptions.parse(TestPostgres.get().r2dbcUrl())
				.mutate()
				.option(ConnectionFactoryOptions.USER, TestPostgres.get().username())
				.build());
		List<String> statements = new ArrayList<>(List.of("DROP TABLE IF EXISTS " + BOOKS,
				"DROP TABLE IF EXISTS " + AUTHORS, "CREATE TABLE " + AUTHORS + " (id BIGINT PRIMARY KEY, name TEXT)",
				"CREATE TABLE " + BOOKS + " (id BIGINT PRIMARY KEY, author_id BIGINT, title TEXT)"));
		for (int author = 1; author <= 3; author++) {
			statements.add("INSERT INTO " + AUTHORS + " VALUES (" + author + ", 'Author " + author + "')");
			for (int book = 1; book <= 4; book++) {
				int id = author * 10 + book;
				// Titles repeat across authors, so that pages break ties on the id.
				statements.add("INSERT INTO " + BOOKS + " VALUES (" + id + ", " + author + ", 'Title " + book + "')");
			}
		}
		Flux.usingWhen(primary.create(),
				(connection) -> Flux.fromIterable(statements)
					.concatMap((sql) -> Flux.from(connection.createStatement(sql).execute())
						.flatMap((result) -> result.getRowsUpdated())),
				(connection) -> connection.close())
			.blockLast(TIMEOUT);
		await().atMost(Duration.ofSeconds(30)).until(replica::isCaughtUp);
	}

	private ApplicationContextRunner withReplica() {
		return this.contextRunner.withPropertyValues(replica.propertyValues());
	}

	@Test
	void readOnlyTransactionsRunOnTheReplicaAndWritesOnThePrimary() {
		withReplica().run((context) -> {
			awaitAvailable(context);
			R2dbcEntityTemplate template = context.getBean(R2dbcEntityTemplate.class);
			long onReplica = replica.replicaCalls(AUTHORS);
			long onPrimary = replica.primaryCalls(AUTHORS);
			for (int i = 0; i < 3; i++) {
				assertThat(transactions(context, true).transactional(template.select(Author.class).all().collectList())
					.block(TIMEOUT)).hasSize(3);
			}
			transactions(context, false)
				.transactional(template.update(Author.class)
					.matching(Query.query(Criteria.where("id").is(1)))
					.apply(Update.update("name", "Author 1")))
				.block(TIMEOUT);
			assertThat(replica.replicaCalls(AUTHORS)).isEqualTo(onReplica + 3);
			assertThat(replica.primaryCalls(AUTHORS)).isEqualTo(onPrimary + 1);
		});
	}

	@Test
	void relationsAndKeysetPaginationOnTheReplicaReturnWhatThePrimaryReturns() {
		withReplica().run((context) -> {
			awaitAvailable(context);
			R2dbcEntityTemplate template = context.getBean(R2dbcEntityTemplate.class);
			Relations relations = context.getBean(Relations.class);
			KeysetPagination<Book> byTitle = context.getBean(KeysetPaginations.class).of(Book.class).orderBy("title");
			long booksOnReplica = replica.replicaCalls(BOOKS);
			long booksOnPrimary = replica.primaryCalls(BOOKS);
			List<String> authorsOnPrimary = describe(relations.load(template.select(Author.class).all(), "books"));
			List<Long> pagesOnPrimary = readAllPages(byTitle, Function.identity());
			assertThat(replica.primaryCalls(BOOKS)).isEqualTo(booksOnPrimary + 4);
			List<String> authorsOnReplica = describe(
					ReplicaReads.onReplica(relations.load(template.select(Author.class).all(), "books")));
			List<Long> pagesOnReplica = readAllPages(byTitle, ReplicaReads::onReplica);
			assertThat(authorsOnReplica).hasSize(3).isEqualTo(authorsOnPrimary);
			assertThat(pagesOnReplica).hasSize(12).isEqualTo(pagesOnPrimary);
			assertThat(replica.replicaCalls(BOOKS)).isEqualTo(booksOnReplica + 4);
			assertThat(replica.primaryCalls(BOOKS)).isEqualTo(booksOnPrimary + 4);
		});
	}

	@Test
	void aLaggingReplicaGetsNoReadsUntilItHasCaughtUp(CapturedOutput output) {
		withReplica().run((context) -> {
			awaitAvailable(context);
			ReadReplica readReplica = context.getBean(ReadReplicas.class).replicas().get(0);
			R2dbcEntityTemplate template = context.getBean(R2dbcEntityTemplate.class);
			replica.pauseReplay();
			try {
				template.update(Author.class)
					.matching(Query.query(Criteria.where("id").is(2)))
					.apply(Update.update("name", "Author 2"))
					.block(TIMEOUT);
				await().atMost(TIMEOUT).until(() -> !readReplica.isAvailable());
				assertThat(readReplica.lag()).isGreaterThan(Duration.ofSeconds(1));
				long onReplica = replica.replicaCalls(AUTHORS);
				long onPrimary = replica.primaryCalls(AUTHORS);
				assertThat(transactions(context, true).transactional(template.select(Author.class).all().collectList())
					.block(TIMEOUT)).hasSize(3);
				assertThat(replica.replicaCalls(AUTHORS)).isEqualTo(onReplica);
				assertThat(replica.primaryCalls(AUTHORS)).isEqualTo(onPrimary + 1);
				await().atMost(TIMEOUT).until(() -> output.getOut().contains("No read replica is available"));
				context.getBean(ReadReplicas.class).check().block(TIMEOUT);
				assertThat(output.getOut().split("No read replica is available", -1)).hasSize(2);
			}
			finally {
				replica.resumeReplay();
			}
			awaitAvailable(context);
			long onReplica = replica.replicaCalls(AUTHORS);
			transactions(context, true).transactional(template.select(Author.class).all().collectList()).block(TIMEOUT);
			assertThat(replica.replicaCalls(AUTHORS)).isEqualTo(onReplica + 1);
		});
	}

	@Test
	void aStoppedReplicaSendsReadsToThePrimaryUntilItIsBack() {
		withReplica().run((context) -> {
			awaitAvailable(context);
			R2dbcEntityTemplate template = context.getBean(R2dbcEntityTemplate.class);
			long onPrimary = replica.primaryCalls(AUTHORS);
			replica.stop();
			try {
				assertThat(ReplicaReads.onReplica(template.select(Author.class).all().collectList()).block(TIMEOUT))
					.hasSize(3);
				assertThat(replica.primaryCalls(AUTHORS)).isEqualTo(onPrimary + 1);
			}
			finally {
				replica.start();
			}
			awaitAvailable(context);
			long onReplica = replica.replicaCalls(AUTHORS);
			assertThat(ReplicaReads.onReplica(template.select(Author.class).all().collectList()).block(TIMEOUT))
				.hasSize(3);
			assertThat(replica.replicaCalls(AUTHORS)).isEqualTo(onReplica + 1);
		});
	}

	private static void awaitAvailable(ApplicationContext context) {
		ReadReplica readReplica = context.getBean(ReadReplicas.class).replicas().get(0);
		await().atMost(Duration.ofSeconds(30)).until(readReplica::isAvailable);
	}

	private static TransactionalOperator transactions(ApplicationContext context, boolean readOnly) {
		DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
		definition.setReadOnly(readOnly);
		return TransactionalOperator.create(context.getBean(ReactiveTransactionManager.class), definition);
	}

	private static List<String> describe(Flux<Author> authors) {
		return authors
			.map((author) -> author.id() + " " + author.name() + " "
					+ author.books().stream().map((book) -> book.id() + ":" + book.title()).sorted().toList())
			.sort()
			.collectList()
			.block(TIMEOUT);
	}

	/**
	 * The ids of every book, read in pages of 5 by title; each page's read passed through
	 * a routing function.
	 */
	private static List<Long> readAllPages(KeysetPagination<Book> pagination,
			Function<Mono<KeysetPage<Book>>, Mono<KeysetPage<Book>>> route) {
		List<Long> ids = new ArrayList<>();
		String token = null;
		do {
			KeysetPage<Book> page = route.apply(pagination.page(token, 5)).block(TIMEOUT);
			page.items().forEach((book) -> ids.add(book.id()));
			token = page.hasNext() ? page.nextToken() : null;
		}
		while (token != null);
		return ids;
	}

	@Table(AUTHORS)
	record Author(@Id Long id, String name, @Transient @HasMany(foreignKey = "author_id") List<Book> books) {

		@PersistenceCreator
		Author(Long id, String name) {
			this(id, name, null);
		}

	}

	@Table(BOOKS)
	record Book(@Id Long id, Long authorId, String title) {

	}

}
