package dev.protevus.boot.test;

import java.time.Duration;
import java.util.List;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WithStatementCounter} and {@link StatementCounter} against the test PostgreSQL,
 * pooled as Spring Boot pools it.
 */
@SpringBootTest(properties = { "spring.r2dbc.pool.initial-size=2", "spring.r2dbc.pool.max-size=2" })
@WithTestPostgres
@WithStatementCounter
class StatementCounterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Autowired
	private StatementCounter statements;

	@Autowired
	private DatabaseClient database;

	@Autowired
	private ConnectionFactory connectionFactory;

	@BeforeEach
	void reset() {
		this.statements.reset();
	}

	@Test
	void countsEveryStatementAnActionRanWithItsText() {
		List<String> ran = this.statements.during(() -> Flux.range(1, 3)
			.concatMap((i) -> this.database.sql("SELECT " + i).map((row) -> row.get(0, Integer.class)).one())
			.blockLast(TIMEOUT));
		assertThat(ran).containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
		assertThat(this.statements.count()).isEqualTo(3);
		assertThat(this.statements.during(() -> {
		})).isEmpty();
	}

	@Test
	void countsEachStatementOfABatch() {
		List<String> ran = this.statements.during(() -> Mono.usingWhen(this.connectionFactory.create(),
				(connection) -> Flux.from(connection.createBatch().add("SELECT 1").add("SELECT 2").execute())
					.flatMap((result) -> result.map((row, metadata) -> row.get(0)))
					.then(),
				Connection::close)
			.block(TIMEOUT));
		assertThat(ran).containsExactly("SELECT 1", "SELECT 2");
	}

	@Test
	void resetForgetsWhatWasCounted() {
		this.database.sql("SELECT 1").fetch().rowsUpdated().block(TIMEOUT);
		assertThat(this.statements.count()).isOne();
		this.statements.reset();
		assertThat(this.statements.count()).isZero();
		assertThat(this.statements.statements()).isEmpty();
	}

	@Test
	void worksAsABeanOfAnApplicationContextRunner() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class, R2dbcDataAutoConfiguration.class))
			.withPropertyValues(TestPostgres.get().propertyValues())
			.withBean(StatementCounter.class)
			.run((context) -> {
				StatementCounter counter = context.getBean(StatementCounter.class);
				context.getBean(DatabaseClient.class).sql("SELECT 42").fetch().one().block(TIMEOUT);
				assertThat(counter.statements()).containsExactly("SELECT 42");
			});
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ R2dbcAutoConfiguration.class, R2dbcDataAutoConfiguration.class })
	static class Config {

	}

}
