package dev.protevus.benchmarks.data;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.protevus.boot.data.query.Cursor;
import dev.protevus.boot.data.query.KeysetPage;
import dev.protevus.boot.data.query.KeysetPagination;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Query;

/**
 * Page 1000 of 50 rows of a 100,000-row table ordered by title and id, which an index
 * covers: {@link KeysetPagination} seeking past the last row of page 999, against
 * {@code LIMIT 50 OFFSET
 * 49950}, which reads and discards the 49,950 rows before the page. Both go through the
 * same template, so only the SQL differs. {@code keysetToken} reads the same page through
 * {@link KeysetPagination#page(String, int)} as a web handler would: it decodes the
 * client's token and reads one row more to tell whether another page follows. Goal: none,
 * the ratio is reported.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KeysetBenchmark {

	static final int ROWS = 100_000;

	static final int PAGE_SIZE = 50;

	/**
	 * The page read, counting from 1.
	 */
	static final int PAGE = 1000;

	/**
	 * Titles repeat, five books each, so that the id has ties to break. The fixture
	 * numbers titles by id times 7919, which shares no factor with their number, to
	 * spread each title's books over the table.
	 */
	static final int TITLES = 20_000;

	/**
	 * The last row of the page before, where a client that paged through would hold the
	 * cursor.
	 */
	private static final String LAST_OF_PREVIOUS_PAGE = "SELECT title, id FROM bench_paged_books"
			+ " ORDER BY title, id LIMIT 1 OFFSET " + ((PAGE - 1) * PAGE_SIZE - 1);

	private ConnectionPool pool;

	private R2dbcEntityTemplate template;

	private KeysetPagination<PagedBook> pagination;

	private Query offsetQuery;

	private Cursor previous;

	private String token;

	@Setup
	public void setUp() {
		tearDownTables();
		DataFixtures.execute(
				"CREATE TABLE bench_paged_books (id bigint PRIMARY KEY, title text NOT NULL, published int NOT NULL)",
				"INSERT INTO bench_paged_books SELECT g, 'Title ' || lpad(((g * 7919) % " + TITLES
						+ ")::text, 5, '0'), 1900 + g % 125 FROM generate_series(1, " + ROWS + ") g",
				"CREATE INDEX bench_paged_books_title_id ON bench_paged_books (title, id)",
				"ANALYZE bench_paged_books");
		this.pool = DataFixtures.protevusPool(DataFixtures.POOL_SIZE, new SimpleMeterRegistry());
		this.template = DataFixtures.template(this.pool);
		this.pagination = KeysetPagination.of(this.template, PagedBook.class).orderBy("title");
		this.offsetQuery = Query.empty()
			.sort(Sort.by("title", "id"))
			.offset((long) (PAGE - 1) * PAGE_SIZE)
			.limit(PAGE_SIZE);
		this.previous = this.template.getDatabaseClient()
			.sql(LAST_OF_PREVIOUS_PAGE)
			.map((row) -> new Cursor("title", Sort.Direction.ASC, row.get(0, String.class), row.get(1, Long.class)))
			.one()
			.block(DataFixtures.TIMEOUT);
		this.token = this.previous.encode();
		List<PagedBook> reference = offset();
		if (reference.size() != PAGE_SIZE) {
			throw new IllegalStateException("OFFSET read " + reference.size() + " rows instead of " + PAGE_SIZE);
		}
		DataFixtures.requireSame("Keyset", reference, keyset());
		DataFixtures.requireSame("Keyset by token", reference, keysetToken().items());
	}

	@TearDown
	public void tearDown() {
		try {
			DataFixtures.close(this.pool);
		}
		finally {
			tearDownTables();
		}
	}

	private static void tearDownTables() {
		DataFixtures.execute("DROP TABLE IF EXISTS bench_paged_books");
	}

	@Benchmark
	public List<PagedBook> keyset() {
		return this.pagination.after(this.previous.sortValue(), this.previous.id(), PAGE_SIZE).collectList().block();
	}

	@Benchmark
	public KeysetPage<PagedBook> keysetToken() {
		return this.pagination.page(this.token, PAGE_SIZE).block();
	}

	@Benchmark
	public List<PagedBook> offset() {
		return this.template.select(PagedBook.class).matching(this.offsetQuery).all().collectList().block();
	}

}
