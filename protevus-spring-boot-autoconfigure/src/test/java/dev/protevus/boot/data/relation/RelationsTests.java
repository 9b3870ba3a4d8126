package dev.protevus.boot.data.relation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.r2dbc.proxy.ProxyConnectionFactory;
import io.r2dbc.proxy.core.QueryInfo;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.Timeout;
import io.netty.channel.DefaultEventLoop;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link Relations} against a real database: 101 authors (the last without books), 10
 * books each, 5 reviews per book, a cover for every even book and two of five tags per
 * book.
 */
@TestInstance(Lifecycle.PER_CLASS)
@Timeout(10)
abstract class RelationsTests {

	static final int AUTHORS = 100;

	final List<String> statements = new CopyOnWriteArrayList<>();

	R2dbcEntityTemplate template;

	private RelationRegistry registry;

	Relations relations;

	/**
	 * The database to run against; every call may name the same one.
	 */
	abstract ConnectionFactoryOptions connectionOptions();

	/**
	 * How the relation statements of this database match their keys.
	 */
	abstract String keyCondition();

	/**
	 * How many statements load a relation for the given number of keys.
	 */
	abstract int statementsFor(int keys, int chunkSize);

	@BeforeAll
	void createFixture() {
		ConnectionFactory database = ConnectionFactories.get(connectionOptions());
		ConnectionFactory counted = ProxyConnectionFactory.builder(database)
			.onBeforeQuery((execution) -> execution.getQueries()
				.stream()
				.map(QueryInfo::getQuery)
				.forEach(this.statements::add))
			.build();
		this.template = new R2dbcEntityTemplate(counted);
		this.registry = new RelationRegistry(this.template.getConverter().getMappingContext()).register(Review.class,
				"book", RelationDefinition.belongsTo(Book.class, "book_id"));
		this.relations = new Relations(this.template, this.registry);
		Flux.fromIterable(fixture()).concatMap((sql) -> this.template.getDatabaseClient().sql(sql).then()).blockLast();
	}

	@BeforeEach
	void forgetStatements() {
		this.statements.clear();
	}

	@Test
	void eagerLoadOfNestedPathsTakesOneStatementPerRelation() {
		// 1,000 books are 1,000 keys for the reviews: one chunk with this chunk size.
		Relations relations = new Relations(this.template, this.registry,
				new RelationSettings(1000, Duration.ofMillis(2), 500));
		Flux<Author> authors = this.template.select(Author.class)
			.matching(Query.query(Criteria.where("id").lessThanOrEquals(AUTHORS)).sort(descendingIds()))
			.all();
		List<Author> loaded = relations.load(authors, "books", "books.reviews").collectList().block();
		assertThat(this.statements).hasSize(3);
		assertThat(this.statements.get(1)).contains("rel_books", keyCondition());
		assertThat(this.statements.get(2)).contains("rel_reviews", keyCondition());
		assertThat(loaded).extracting(Author::id).containsExactlyElementsOf(descending(1, AUTHORS));
		for (Author author : loaded) {
			assertThat(author.books()).extracting(Book::id).containsExactlyElementsOf(booksOf(author.id()));
			for (Book book : author.books()) {
				assertThat(book.reviews()).extracting(Review::getId).containsExactlyElementsOf(reviewsOf(book.id()));
			}
		}
	}

	@Test
	void relationStatementsMatchKeysTheWayTheDialectPrefers() {
		this.relations.load(authors(1, 3), "books").blockLast();
		String other = keyCondition().equals("IN (") ? "ANY(" : "IN (";
		assertThat(this.statements).filteredOn((sql) -> sql.contains("rel_books"))
			.singleElement()
			.asString()
			.contains(keyCondition())
			.doesNotContain(other);
	}

	@Test
	void includeLoadsRelationsAsATransformation() {
		List<Author> loaded = authors(1, 2).transform(this.relations.include("books")).collectList().block();
		assertThat(loaded).extracting((author) -> author.books().size()).containsExactly(10, 10);
	}

	@Test
	void lazyLoadsRequestedTogetherShareOneStatement() {
		List<Author> authors = authors(1, AUTHORS).collectList().block();
		this.statements.clear();
		// Subscribed on an event loop, as in a web request: the batch's window is timed
		// on that loop, so however long a busy machine keeps the loop from running, the
		// window cannot end between two of the loads.
		List<List<Book>> books = onAnEventLoop(
				Flux.fromIterable(authors).flatMapSequential((author) -> this.relations.<Book>lazy(author, "books")));
		assertThat(this.statements).singleElement().asString().contains("rel_books");
		for (int i = 0; i < authors.size(); i++) {
			assertThat(books.get(i)).extracting(Book::id).containsExactlyElementsOf(booksOf(authors.get(i).id()));
		}
	}

	@Test
	void defaultSettingsLoadTheThousandBooksOfReviewsInAsManyStatementsAsTheDialectNeeds() {
		List<Author> loaded = this.relations.load(authors(1, AUTHORS), "books", "books.reviews").collectList().block();
		assertThat(this.statements).filteredOn((sql) -> sql.contains("rel_reviews"))
			.hasSize(statementsFor(AUTHORS * 10, RelationSettings.defaults().chunkSize()));
		assertThat(loaded).allSatisfy(
				(author) -> assertThat(author.books()).allSatisfy((book) -> assertThat(book.reviews()).hasSize(5)));
	}

	@Test
	void lazyLoadsRequestedFromManyThreadsAllComplete() {
		Relations batched = new Relations(this.template, this.registry,
				new RelationSettings(500, Duration.ofMillis(2), 7));
		List<Author> authors = authors(1, AUTHORS).collectList().block();
		this.statements.clear();
		List<Integer> sizes = Flux.fromIterable(authors)
			.parallel(4)
			.runOn(Schedulers.parallel())
			.flatMap((author) -> batched.<Book>lazy(author, "books"))
			.map(List::size)
			.sequential()
			.collectList()
			.block();
		assertThat(sizes).hasSize(AUTHORS).containsOnly(10);
		assertThat(this.statements).hasSizeGreaterThanOrEqualTo(AUTHORS / 7)
			.allSatisfy((sql) -> assertThat(sql).contains("rel_books"));
	}

	@Test
	void keysBeyondTheChunkSizeTakeOneStatementPerChunkUnlessTheDialectTakesAnArray() {
		Relations chunked = new Relations(this.template, this.registry,
				new RelationSettings(30, Duration.ofMillis(2), 500));
		List<Author> loaded = chunked.load(authors(1, AUTHORS), "books").collectList().block();
		assertThat(this.statements).filteredOn((sql) -> sql.contains("rel_books")).hasSize(statementsFor(AUTHORS, 30));
		assertThat(loaded).allSatisfy((author) -> assertThat(author.books()).hasSize(10));
	}

	@Test
	void belongsToLoadsEachReferencedEntityOnce() {
		List<Book> books = books(1, 40).transform(this.relations.include("author", "author.books"))
			.collectList()
			.block();
		assertThat(this.statements).hasSize(3);
		assertThat(this.statements.get(1)).contains("rel_authors");
		assertThat(books).hasSize(40).allSatisfy((book) -> {
			assertThat(book.author().id()).isEqualTo(book.authorId());
			assertThat(book.author().books()).extracting(Book::id).contains(book.id());
		});
	}

	@Test
	void lazyOneLoadsBelongsToInABatch() {
		List<Book> books = books(1, 40).collectList().block();
		this.statements.clear();
		List<Author> authors = onAnEventLoop(
				Flux.fromIterable(books).flatMapSequential((book) -> this.relations.<Author>lazyOne(book, "author")));
		assertThat(this.statements).hasSize(1);
		assertThat(authors).extracting(Author::id)
			.containsExactlyElementsOf(books.stream().map(Book::authorId).toList());
	}

	/**
	 * Subscribes on an event loop, as a web request does, so that lazy batches are timed
	 * on that loop, and waits for the items.
	 */
	private static <T> List<T> onAnEventLoop(Flux<T> items) {
		DefaultEventLoop loop = new DefaultEventLoop();
		try {
			return items.subscribeOn(Schedulers.fromExecutor(loop)).collectList().block();
		}
		finally {
			loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
		}
	}

	@Test
	void hasOneSetsTheEntityOrNull() {
		List<Book> books = books(1, 10).transform(this.relations.include("cover")).collectList().block();
		assertThat(books).allSatisfy((book) -> {
			if (book.id() % 2 == 0) {
				assertThat(book.cover().getBookId()).isEqualTo(book.id());
			}
			else {
				assertThat(book.cover()).isNull();
			}
		});
		StepVerifier.create(this.relations.lazyOne(books.get(0), "cover")).verifyComplete();
	}

	@Test
	void immutableClassesAreCopiedThroughTheirWither() {
		Flux<Cover> covers = this.template.select(Cover.class)
			.matching(Query.query(Criteria.where("id").lessThanOrEquals(3)))
			.all();
		List<Cover> loaded = this.relations.load(covers, "book").collectList().block();
		assertThat(loaded).hasSize(3)
			.allSatisfy((cover) -> assertThat(cover.getBook().id()).isEqualTo(cover.getBookId()));
	}

	@Test
	void mutableClassesAreUpdatedInPlace() {
		List<Review> reviews = this.template.select(Review.class)
			.matching(Query.query(Criteria.where("id").lessThanOrEquals(12)))
			.all()
			.collectList()
			.block();
		List<Review> loaded = this.relations.load(Flux.fromIterable(reviews), "book").collectList().block();
		assertThat(loaded).containsExactlyElementsOf(reviews)
			.allSatisfy((review) -> assertThat(review.getBook().id()).isEqualTo(review.getBookId()));
	}

	@Test
	void manyToManyLoadsThroughTheJoinTableInBothDirections() {
		List<Book> books = books(1, 10).transform(this.relations.include("tags")).collectList().block();
		assertThat(this.statements).hasSize(2);
		assertThat(this.statements.get(1)).contains("rel_book_tags", keyCondition());
		assertThat(books).allSatisfy((book) -> assertThat(book.tags()).extracting(Tag::id)
			.containsExactlyInAnyOrderElementsOf(tagsOf(book.id())));
		Flux<Tag> tags = this.template.select(Tag.class).all();
		List<Tag> loaded = this.relations.load(tags, "books").collectList().block();
		assertThat(loaded).hasSize(5)
			.allSatisfy((tag) -> assertThat(tag.books()).hasSize(400)
				.extracting(Book::id)
				.isSorted()
				.allSatisfy((id) -> assertThat(tagsOf(id)).contains(tag.id())));
	}

	@Test
	void lazyManyToManyLoadsInABatch() {
		Tag tag = this.template.select(Tag.class).first().block();
		this.statements.clear();
		StepVerifier.create(this.relations.<Book>lazy(tag, "books"))
			.assertNext((books) -> assertThat(books).hasSize(400))
			.verifyComplete();
		assertThat(this.statements).hasSize(1);
	}

	@Test
	void emptyParentsRunNoStatement() {
		StepVerifier.create(this.relations.load(Flux.<Author>empty(), "books", "books.reviews")).verifyComplete();
		assertThat(this.statements).isEmpty();
	}

	@Test
	void parentsWithoutRelatedEntitiesGetEmptyCollections() {
		Author lonely = authors(AUTHORS + 1, AUTHORS + 1).transform(this.relations.include("books")).blockFirst();
		assertThat(lonely.books()).isNotNull().isEmpty();
		StepVerifier.create(this.relations.lazy(lonely, "books")).expectNext(List.of()).verifyComplete();
	}

	@Test
	void duplicatedParentsEachGetTheirRelations() {
		Author first = authors(1, 1).blockFirst();
		Author second = authors(2, 2).blockFirst();
		this.statements.clear();
		List<Author> loaded = this.relations.load(Flux.just(first, second, first), "books").collectList().block();
		assertThat(this.statements).hasSize(1);
		assertThat(loaded).extracting(Author::id).containsExactly(1L, 2L, 1L);
		assertThat(loaded).allSatisfy((author) -> assertThat(author.books()).hasSize(10));
	}

	@Test
	void unknownPathSignalsTheValidNames() {
		StepVerifier.create(this.relations.load(authors(1, 1), "bokos"))
			.verifyErrorSatisfies(
					(ex) -> assertThat(ex).isInstanceOfSatisfying(UnknownRelationException.class, (unknown) -> {
						assertThat(unknown.getValidNames()).containsExactly("books");
						assertThat(unknown).hasMessage("Unknown relation 'bokos' of " + Author.class.getName()
								+ ": valid relations are books");
					}));
		StepVerifier.create(this.relations.load(authors(1, 1), "books.revews"))
			.verifyErrorSatisfies(
					(ex) -> assertThat(ex).isInstanceOfSatisfying(UnknownRelationException.class, (unknown) -> {
						assertThat(unknown.getEntityType()).isEqualTo(Book.class);
						assertThat(unknown.getPath()).isEqualTo("books.revews");
						assertThat(unknown.getValidNames()).containsExactly("author", "cover", "reviews", "tags");
					}));
		StepVerifier.create(this.relations.lazy(new Author(1L, "a"), "bokos"))
			.verifyError(UnknownRelationException.class);
	}

	@Test
	void emptyPathSegmentIsRejectedWhenCalled() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.relations.include("books..reviews"))
			.withMessageContaining("books..reviews");
	}

	@Test
	void lazyLoadOfAToOneRelationAsManyIsRejected() {
		StepVerifier.create(this.relations.lazy(new Book(1L, 1L, "b"), "author"))
			.verifyErrorMessage(
					"Relation 'author' of " + Book.class.getName() + " holds one entity: load it with lazyOne");
	}

	@Test
	void nothingIsQueriedBeforeSubscription() {
		this.relations.load(Flux.just(new Author(1L, "a")), "books");
		this.relations.lazy(new Author(1L, "a"), "books");
		this.relations.lazyOne(new Book(1L, 1L, "b"), "author");
		// Longer than the lazy batching window, after which a subscribed load would have
		// run.
		await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(this.statements::isEmpty);
	}

	@Test
	void fullLazyBatchesAreSentWithoutWaitingForTheWindow() {
		Relations batched = new Relations(this.template, this.registry,
				new RelationSettings(500, Duration.ofMillis(100), 10));
		List<Author> authors = authors(1, 25).collectList().block();
		this.statements.clear();
		List<Integer> sizes = Flux.fromIterable(authors)
			.flatMapSequential((author) -> batched.<Book>lazy(author, "books"))
			.map(List::size)
			.collectList()
			.block();
		assertThat(sizes).hasSize(25).containsOnly(10);
		assertThat(this.statements).hasSize(3);
	}

	@Test
	void cancellingOneLazyLoadLeavesTheOthersTheirs() {
		Relations batched = new Relations(this.template, this.registry,
				new RelationSettings(500, Duration.ofMillis(100), 500));
		List<Author> authors = authors(1, 3).collectList().block();
		this.statements.clear();
		Disposable cancelled = batched.lazy(authors.get(0), "books").subscribe();
		cancelled.dispose();
		StepVerifier.create(Flux.merge(batched.lazy(authors.get(1), "books"), batched.lazy(authors.get(2), "books")))
			.expectNextCount(2)
			.verifyComplete();
		assertThat(this.statements).hasSize(1);
	}

	@Test
	void failedLazyStatementReachesEveryWaitingLoad() {
		RelationRegistry broken = new RelationRegistry(this.template.getConverter().getMappingContext()).register(
				Tag.class, "books", RelationDefinition.manyToMany(Book.class, "rel_missing", "tag_id", "book_id"));
		Relations batched = new Relations(this.template, broken,
				new RelationSettings(500, Duration.ofMillis(100), 500));
		Mono<List<Object>> first = batched.lazy(new Tag(1L, "t1"), "books");
		Mono<List<Object>> second = batched.lazy(new Tag(2L, "t2"), "books");
		StepVerifier.create(Flux.merge(first.materialize(), second.materialize()))
			.expectNextMatches((signal) -> signal.isOnError())
			.expectNextMatches((signal) -> signal.isOnError())
			.verifyComplete();
		// H2 rejects the statement before it runs, PostgreSQL when it does.
		assertThat(this.statements).hasSizeLessThanOrEqualTo(1);
	}

	private Flux<Author> authors(long from, long to) {
		return this.template.select(Author.class)
			.matching(Query.query(Criteria.where("id").between(from, to)).sort(ascendingIds()))
			.all();
	}

	private Flux<Book> books(long from, long to) {
		return this.template.select(Book.class)
			.matching(Query.query(Criteria.where("id").between(from, to)).sort(ascendingIds()))
			.all();
	}

	private static Sort ascendingIds() {
		return Sort.by("id");
	}

	private static Sort descendingIds() {
		return Sort.by("id").descending();
	}

	private static List<Long> descending(long from, long to) {
		List<Long> ids = LongStream.rangeClosed(from, to).boxed().collect(Collectors.toCollection(ArrayList::new));
		Collections.reverse(ids);
		return ids;
	}

	private static List<Long> booksOf(long author) {
		return LongStream.rangeClosed((author - 1) * 10 + 1, author * 10).boxed().toList();
	}

	private static List<Long> reviewsOf(long book) {
		return LongStream.rangeClosed((book - 1) * 5 + 1, book * 5).boxed().toList();
	}

	private static Set<Long> tagsOf(long book) {
		return Set.of(book % 5 + 1, (book + 1) % 5 + 1);
	}

	private static List<String> fixture() {
		List<String> sql = new ArrayList<>();
		for (String table : List.of("rel_book_tags", "rel_tags", "rel_covers", "rel_reviews", "rel_books",
				"rel_authors")) {
			sql.add("DROP TABLE IF EXISTS " + table);
		}
		sql.add("CREATE TABLE rel_authors (id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL)");
		sql.add("CREATE TABLE rel_books (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL, "
				+ "title VARCHAR(50) NOT NULL)");
		sql.add("CREATE TABLE rel_reviews (id BIGINT PRIMARY KEY, book_id BIGINT NOT NULL, stars INT NOT NULL)");
		sql.add("CREATE TABLE rel_covers (id BIGINT PRIMARY KEY, book_id BIGINT NOT NULL, url VARCHAR(50) NOT NULL)");
		sql.add("CREATE TABLE rel_tags (id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL)");
		sql.add("CREATE TABLE rel_book_tags (book_id BIGINT NOT NULL, tag_id BIGINT NOT NULL)");
		sql.add(insert("rel_authors (id, name)", AUTHORS + 1, (id) -> id + ", 'Author " + id + "'"));
		// Books and reviews are inserted in descending id order: their ids, not the order
		// in which
		// the database happens to return rows, must decide the order of a relation.
		sql.add(insert("rel_books (id, author_id, title)", AUTHORS * 10,
				(id) -> (AUTHORS * 10 + 1 - id) + ", " + ((AUTHORS * 10 - id) / 10 + 1) + ", 'Book " + id + "'"));
		sql.add(insert("rel_reviews (id, book_id, stars)", AUTHORS * 50,
				(id) -> (AUTHORS * 50 + 1 - id) + ", " + ((AUTHORS * 50 - id) / 5 + 1) + ", " + (id % 5 + 1)));
		sql.add(insert("rel_covers (id, book_id, url)", AUTHORS * 5,
				(id) -> id + ", " + (id * 2) + ", 'cover-" + id + "'"));
		sql.add(insert("rel_tags (id, name)", 5, (id) -> id + ", 'Tag " + id + "'"));
		sql.add(insert("rel_book_tags (book_id, tag_id)", AUTHORS * 20,
				(row) -> ((row + 1) / 2) + ", " + tagOfRow(row)));
		return sql;
	}

	private static long tagOfRow(int row) {
		long book = (row + 1) / 2;
		return (row % 2 == 1) ? book % 5 + 1 : (book + 1) % 5 + 1;
	}

	private static String insert(String table, int rows, IntFunction<String> values) {
		return IntStream.rangeClosed(1, rows)
			.mapToObj((row) -> "(" + values.apply(row) + ")")
			.collect(Collectors.joining(", ", "INSERT INTO " + table + " VALUES ", ""));
	}

	@Table("rel_authors")
	record Author(@Id Long id, String name, @Transient @HasMany(foreignKey = "author_id") List<Book> books) {

		@PersistenceCreator
		Author(Long id, String name) {
			this(id, name, null);
		}

	}

	@Table("rel_books")
	record Book(@Id Long id, Long authorId, String title, @Transient @BelongsTo(foreignKey = "author_id") Author author,
			@Transient @HasMany(foreignKey = "book_id") List<Review> reviews,
			@Transient @HasOne(foreignKey = "book_id") Cover cover, @Transient @ManyToMany(joinTable = "rel_book_tags",
					joinColumn = "book_id", inverseJoinColumn = "tag_id") Set<Tag> tags) {

		@PersistenceCreator
		Book(Long id, Long authorId, String title) {
			this(id, authorId, title, null, null, null, null);
		}

	}

	/**
	 * A mutable entity; its relation is registered in code rather than annotated.
	 */
	@Table("rel_reviews")
	static class Review {

		@Id
		private Long id;

		private Long bookId;

		private int stars;

		@Transient
		private Book book;

		Long getId() {
			return this.id;
		}

		Long getBookId() {
			return this.bookId;
		}

		Book getBook() {
			return this.book;
		}

	}

	/**
	 * An immutable class that sets its relation through a wither.
	 */
	@Table("rel_covers")
	static final class Cover {

		@Id
		private final Long id;

		private final Long bookId;

		private final String url;

		@Transient
		@BelongsTo(foreignKey = "book_id")
		private final Book book;

		@PersistenceCreator
		Cover(Long id, Long bookId, String url) {
			this(id, bookId, url, null);
		}

		private Cover(Long id, Long bookId, String url, Book book) {
			this.id = id;
			this.bookId = bookId;
			this.url = url;
			this.book = book;
		}

		Cover withBook(Book book) {
			return new Cover(this.id, this.bookId, this.url, book);
		}

		Long getBookId() {
			return this.bookId;
		}

		Book getBook() {
			return this.book;
		}

	}

	@Table("rel_tags")
	record Tag(@Id Long id, String name, @Transient @ManyToMany(joinTable = "rel_book_tags", joinColumn = "tag_id",
			inverseJoinColumn = "book_id") List<Book> books) {

		@PersistenceCreator
		Tag(Long id, String name) {
			this(id, name, null);
		}

	}

}
