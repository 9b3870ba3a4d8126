package dev.protevus.boot.test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.r2dbc.proxy.ProxyConnectionFactory;
import io.r2dbc.proxy.core.QueryExecutionInfo;
import io.r2dbc.proxy.listener.ProxyExecutionListener;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;

/**
 * Counts the statements an application executes, so that a test can say "this endpoint
 * ran 3 statements" without reading metric deltas. As a bean it is a Spring Boot
 * {@link ConnectionFactoryDecorator}, which Boot applies to the driver's connection
 * factory inside the pool: add it with {@link WithStatementCounter @WithStatementCounter}
 * on a test class, or {@code withBean(StatementCounter.class)} on an
 * {@code ApplicationContextRunner}, or wrap a factory yourself with
 * {@link #decorate(ConnectionFactory)}. <pre class="code">
 * &#64;Autowired StatementCounter statements;
 *
 * List&lt;String&gt; sql = statements.during(() -&gt; client.get().uri("/authors?include=books")
 *     .exchange().expectStatus().isOk());
 * assertThat(sql).hasSize(2);
 * </pre> A statement counts when it is executed (each statement of a {@code Batch} once),
 * by whatever runs it: concurrent requests, scheduled work and the pool's validation
 * query, if one is configured, count too, so measure one request at a time. It listens
 * through r2dbc-proxy, whose reflective proxies cost more than plain delegation but
 * matter nothing in a test.
 *
 * @since 0.1.0
 */
public class StatementCounter implements ConnectionFactoryDecorator {

	/**
	 * How many statement texts are kept, the latest ones; the count has no limit.
	 */
	public static final int MAX_KEPT = 10_000;

	private final AtomicLong count = new AtomicLong();

	private final Deque<Executed> kept = new ArrayDeque<>();

	@Override
	public ConnectionFactory decorate(ConnectionFactory connectionFactory) {
		return ProxyConnectionFactory.builder(connectionFactory).listener(new ProxyExecutionListener() {

			@Override
			public void beforeQuery(QueryExecutionInfo execution) {
				execution.getQueries().forEach((query) -> executed(query.getQuery()));
			}

		}).build();
	}

	/**
	 * How many statements have been executed since this counter was created or last
	 * {@link #reset()}.
	 * @return the count
	 */
	public long count() {
		return this.count.get();
	}

	/**
	 * The text of the statements executed since this counter was created or last
	 * {@link #reset()}, in order, the latest {@value #MAX_KEPT} at most.
	 * @return the statements' SQL
	 */
	public List<String> statements() {
		return since(0);
	}

	/**
	 * Forgets the statements counted so far.
	 */
	public void reset() {
		synchronized (this.kept) {
			this.kept.clear();
			this.count.set(0);
		}
	}

	/**
	 * Runs an action, such as a {@code WebTestClient} exchange, and returns the
	 * statements executed while it ran. The action must wait for its work, as a
	 * {@code WebTestClient} exchange or a {@code block()} does; statements that other
	 * work ran meanwhile count too.
	 * @param action the action
	 * @return the SQL of the statements executed while it ran, in order
	 */
	public List<String> during(Runnable action) {
		long before = this.count.get();
		action.run();
		return since(before);
	}

	private List<String> since(long sequence) {
		List<String> statements = new ArrayList<>();
		synchronized (this.kept) {
			for (Executed executed : this.kept) {
				if (executed.sequence() > sequence) {
					statements.add(executed.sql());
				}
			}
		}
		return statements;
	}

	private void executed(String sql) {
		synchronized (this.kept) {
			long sequence = this.count.incrementAndGet();
			if (this.kept.size() == MAX_KEPT) {
				this.kept.removeFirst();
			}
			this.kept.addLast(new Executed(sequence, sql));
		}
	}

	@Override
	public String toString() {
		return "StatementCounter (" + count() + " statements)";
	}

	private record Executed(long sequence, String sql) {

	}

}
