package dev.protevus.benchmarks.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import dev.protevus.boot.data.relation.RelationRegistry;
import dev.protevus.boot.data.relation.Relations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Readable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.lang.Nullable;

/**
 * Three ways to read 100 authors with their 50 books each as {@link Author} records:
 * Protevus's {@link Relations#load(Flux, String...)} (the authors' statement and one
 * {@code = ANY($1)} statement for all their books), one hand-written {@code LEFT JOIN}
 * mapped by hand, and the naive N+1, a statement per author for its books. All three
 * share one pooled Protevus connection stack, so connecting is not measured. Goals:
 * Protevus at most 1.2 times the JOIN's time, and at least 10 times faster than N+1 with
 * the database 0.5 ms and 1 ms away ({@link #rttMicros}), where N+1's 99 extra round
 * trips cost what they cost in a cloud zone rather than loopback's 50 µs each.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EagerLoadBenchmark {

	static final int AUTHORS = 100;

	static final int BOOKS_PER_AUTHOR = 50;

	/**
	 * Columns read by position, since both tables have an {@code id}; ordered so that
	 * each author's rows come together and its books in the order the other ways return
	 * them.
	 */
	private static final String JOIN = "SELECT a.id, a.name, b.id, b.author_id, b.title, b.published"
			+ " FROM bench_authors a LEFT JOIN bench_books b ON b.author_id = a.id ORDER BY a.id, b.id";

	/**
	 * The statement of {@code driver()}: the one Protevus sends for the books of all
	 * authors.
	 */
	private static final String BOOKS = "SELECT * FROM bench_books WHERE author_id = ANY($1) ORDER BY id";

	private ConnectionPool pool;

	private ConnectionPool driverPool;

	private final Long[] authorIds = LongStream.rangeClosed(1, AUTHORS).boxed().toArray(Long[]::new);

	private R2dbcEntityTemplate template;

	private Relations relations;

	/**
	 * The network to the database: {@value Network#DIRECT}, or the round trip in
	 * microseconds that a {@link dev.protevus.benchmarks.net.LatencyProxy} adds, where
	 * {@code 0} measures the proxy's own cost.
	 */
	@Param({ Network.DIRECT, "0", "500", "1000" })
	public String rttMicros;

	private Network network;

	@Setup(Level.Trial)
	public void setUp() {
		DataFixtures.createAuthorsAndBooks(AUTHORS, BOOKS_PER_AUTHOR);
		this.network = Network.of(this.rttMicros);
		this.pool = DataFixtures.protevusPool(this.network.driver(), DataFixtures.POOL_SIZE, new SimpleMeterRegistry());
		this.driverPool = DataFixtures.rawPool(this.network.driver(), 1);
		this.template = DataFixtures.template(this.pool);
		this.relations = new Relations(this.template,
				new RelationRegistry(this.template.getConverter().getMappingContext()));
		List<Author> reference = join();
		if (reference.size() != AUTHORS
				|| reference.stream().anyMatch((author) -> author.books().size() != BOOKS_PER_AUTHOR)) {
			throw new IllegalStateException("Expected " + AUTHORS + " authors with " + BOOKS_PER_AUTHOR
					+ " books each but the JOIN read " + reference.size() + " authors");
		}
		DataFixtures.requireSame("Protevus", reference, protevus());
		DataFixtures.requireSame("N+1", reference, nPlusOne());
		DataFixtures.requireSame("The driver",
				reference.stream()
					.flatMap((author) -> author.books().stream())
					.sorted(Comparator.comparingLong(Book::id))
					.toList(),
				driver());
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		try {
			DataFixtures.close(this.pool);
			DataFixtures.close(this.driverPool);
			this.network.close();
		}
		finally {
			DataFixtures.dropAuthorsAndBooks();
		}
	}

	@Benchmark
	public List<Author> protevus() {
		return this.relations.load(authors(), "books").collectList().block();
	}

	@Benchmark
	public List<Author> join() {
		return this.template.getDatabaseClient()
			.sql(JOIN)
			.map(AuthorBook::of)
			.all()
			.collectList()
			.map(EagerLoadBenchmark::group)
			.block();
	}

	/**
	 * The floor under any eager load: the books' statement alone, as Protevus sends it,
	 * through the bare driver on a pooled connection and read by hand, with no authors,
	 * no Spring and no grouping. Not one of the goal's ways; it shows how much of an
	 * eager load the driver and the database take whatever a library does above them.
	 */
	@Benchmark
	public List<Book> driver() {
		return Mono
			.usingWhen(this.driverPool.create(),
					(connection) -> Flux.from(connection.createStatement(BOOKS).bind("$1", this.authorIds).execute())
						.flatMap((result) -> result.map((row, metadata) -> book(row)))
						.collectList(),
					Connection::close)
			.block();
	}

	/**
	 * One statement per author after the other, as a loop over lazy loads runs them, so
	 * that like the other two ways it holds one connection at a time rather than
	 * measuring how many statements the pool runs in parallel.
	 */
	@Benchmark
	public List<Author> nPlusOne() {
		return authors()
			.concatMap((author) -> this.template.select(Book.class)
				.matching(Query.query(Criteria.where("authorId").is(author.id())).sort(Sort.by("id")))
				.all()
				.collectList()
				.map((books) -> new Author(author.id(), author.name(), books)))
			.collectList()
			.block();
	}

	private Flux<Author> authors() {
		return this.template.select(Author.class).matching(Query.empty().sort(Sort.by("id"))).all();
	}

	/**
	 * Folds the JOIN's rows, ordered by author, into one author per run of rows.
	 */
	private static List<Author> group(List<AuthorBook> rows) {
		List<Author> authors = new ArrayList<>(AUTHORS);
		int start = 0;
		while (start < rows.size()) {
			AuthorBook first = rows.get(start);
			List<Book> books = new ArrayList<>(BOOKS_PER_AUTHOR);
			int end = start;
			while (end < rows.size() && rows.get(end).authorId() == first.authorId()) {
				if (rows.get(end).book() != null) {
					books.add(rows.get(end).book());
				}
				end++;
			}
			authors.add(new Author(first.authorId(), first.authorName(), books));
			start = end;
		}
		return authors;
	}

	private static Book book(Readable row) {
		return book(row, 0);
	}

	/**
	 * Reads a book from four columns in the order of its table, starting at
	 * {@code first}.
	 */
	private static Book book(Readable row, int first) {
		return new Book(row.get(first, Long.class), row.get(first + 1, Long.class), row.get(first + 2, String.class),
				row.get(first + 3, Integer.class));
	}

	/**
	 * One row of the JOIN: an author and one of its books, or no book for an author
	 * without any.
	 */
	private record AuthorBook(long authorId, String authorName, @Nullable Book book) {

		static AuthorBook of(Readable row) {
			Long bookId = row.get(2, Long.class);
			Book book = (bookId != null) ? EagerLoadBenchmark.book(row, 2) : null;
			return new AuthorBook(row.get(0, Long.class), row.get(1, String.class), book);
		}

	}

}
