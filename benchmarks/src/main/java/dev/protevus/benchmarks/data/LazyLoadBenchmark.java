package dev.protevus.benchmarks.data;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.protevus.boot.data.relation.RelationRegistry;
import dev.protevus.boot.data.relation.RelationSettings;
import dev.protevus.boot.data.relation.Relations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
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

/**
 * One request that reads 100 authors and then loads each author's 50 books on its own, as
 * a GraphQL field resolver or a view rendering each author does, all the loads in flight
 * together: {@code batched} with {@link Relations#lazy(Object, String)}, whose loads
 * requested close together share one {@code = ANY($1)} statement (with the default
 * {@link RelationSettings}, so the statement waits for the batch window of 2 ms after the
 * latest load), against {@code perAuthor}, the same request with one statement per
 * author, which runs as many at a time as the pool has connections. Both read through one
 * pooled Protevus connection stack with the database a network round trip away
 * ({@link #rttMicros}). Goal: none, the ratio is reported.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LazyLoadBenchmark {

	static final int AUTHORS = 100;

	static final int BOOKS_PER_AUTHOR = 50;

	/**
	 * The network to the database: {@value Network#DIRECT}, or the round trip in
	 * microseconds that a {@link dev.protevus.benchmarks.net.LatencyProxy} adds.
	 */
	@Param({ Network.DIRECT, "500" })
	public String rttMicros;

	private Network network;

	private ConnectionPool pool;

	private R2dbcEntityTemplate template;

	private Relations relations;

	@Setup(Level.Trial)
	public void setUp() {
		DataFixtures.createAuthorsAndBooks(AUTHORS, BOOKS_PER_AUTHOR);
		this.network = Network.of(this.rttMicros);
		this.pool = DataFixtures.protevusPool(this.network.driver(), DataFixtures.POOL_SIZE, new SimpleMeterRegistry());
		this.template = DataFixtures.template(this.pool);
		this.relations = new Relations(this.template,
				new RelationRegistry(this.template.getConverter().getMappingContext()));
		List<Author> reference = perAuthor();
		if (reference.size() != AUTHORS
				|| reference.stream().anyMatch((author) -> author.books().size() != BOOKS_PER_AUTHOR)) {
			throw new IllegalStateException("Expected " + AUTHORS + " authors with " + BOOKS_PER_AUTHOR
					+ " books each but read " + reference.size() + " authors");
		}
		DataFixtures.requireSame("Batched lazy loads", reference, batched());
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		try {
			DataFixtures.close(this.pool);
			this.network.close();
		}
		finally {
			DataFixtures.dropAuthorsAndBooks();
		}
	}

	/**
	 * Each author's books loaded lazily, subscribed as the authors' rows arrive, on the
	 * driver's event loop as in a web request, which times the batch window.
	 */
	@Benchmark
	public List<Author> batched() {
		return authors()
			.flatMapSequential((author) -> this.relations.<Book>lazy(author, "books")
				.map((books) -> new Author(author.id(), author.name(), books)))
			.collectList()
			.block();
	}

	/**
	 * Each author's books read by a statement of their own, all requested at once; the
	 * pool runs as many at a time as it has connections, the authors' statement holding
	 * one of them while its rows arrive.
	 */
	@Benchmark
	public List<Author> perAuthor() {
		return authors()
			.flatMapSequential(
					(author) -> booksOf(author).map((books) -> new Author(author.id(), author.name(), books)))
			.collectList()
			.block();
	}

	private Mono<List<Book>> booksOf(Author author) {
		return this.template.select(Book.class)
			.matching(Query.query(Criteria.where("authorId").is(author.id())).sort(Sort.by("id")))
			.all()
			.collectList();
	}

	private Flux<Author> authors() {
		return this.template.select(Author.class).matching(Query.empty().sort(Sort.by("id"))).all();
	}

}
