package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.List;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.web.WebLayerAutoConfiguration;
import dev.protevus.boot.data.query.InvalidCursorException;
import dev.protevus.boot.data.relation.UnknownRelationException;
import dev.protevus.boot.data.web.DataProblemMapper;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import dev.protevus.boot.data.NPlusOneQueryException;
import dev.protevus.boot.data.StatementTimeoutException;
import dev.protevus.boot.data.query.InvalidPageSizeException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers to data failures, as the web layer gives them with the
 * {@link DataProblemMapper} that the data auto-configuration contributes.
 */
class DataProblemMapperTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, WebLayerAutoConfiguration.class,
				WebFluxAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class, JacksonAutoConfiguration.class,
				CodecsAutoConfiguration.class, DataAutoConfiguration.class))
		.withPropertyValues("spring.r2dbc.pool.max-acquire-time=1500ms");

	@Test
	void unreachableDatabaseIsA503ProblemWithRetryAfterTheAcquireTime() {
		this.contextRunner.run((context) -> {
			MockServerWebExchange exchange = handle(context, "/authors/1", new DataAccessResourceFailureException(
					"Failed", new R2dbcTransientResourceException("Connection refused") {
					}));
			assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
			assertThat(exchange.getResponse().getHeaders().getContentType())
				.isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5))).contains("\"status\":503")
				.contains("\"instance\":\"/authors/1\"")
				.contains("database");
		});
	}

	@Test
	void connectionAcquisitionTimeoutIsA503Problem() {
		this.contextRunner.run((context) -> {
			MockServerWebExchange exchange = handle(context, "/authors", new IllegalStateException("wrapped",
					new R2dbcTimeoutException("Connection acquisition timed out after 1500ms")));
			assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
		});
	}

	@Test
	void unknownRelationIsA400ProblemListingTheValidOnesWithoutTheEntityClass() {
		this.contextRunner.run((context) -> {
			MockServerWebExchange exchange = handle(context, "/books",
					new UnknownRelationException(DataProblemMapperTests.class, "", "autor", List.of("author")));
			assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(exchange.getResponse().getHeaders().containsKey(HttpHeaders.RETRY_AFTER)).isFalse();
			assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
				.contains("\"validRelations\":[\"author\"]")
				.doesNotContain(DataProblemMapperTests.class.getSimpleName());
		});
	}

	@Test
	void malformedCursorIsA400Problem() {
		this.contextRunner.run((context) -> {
			MockServerWebExchange exchange = handle(context, "/books",
					new IllegalStateException("wrapped", new InvalidCursorException("Malformed page cursor")));
			assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
				.contains("Malformed page cursor");
		});
	}

	@Test
	void otherFailuresAreLeftToTheWebLayer() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(DataProblemMapper.class).map(new IllegalStateException("not a data problem")))
				.isNull();
			MockServerWebExchange exchange = handle(context, "/books", new IllegalStateException("not a data problem"));
			assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		});
	}

	@Test
	void pageSizeOutOfRangeIsA400ProblemNamingTheMaximum() {
		this.contextRunner.run((context) -> {
			MockServerWebExchange exchange = handle(context, "/books", new InvalidPageSizeException(0, 1000));
			assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(exchange.getResponse().getHeaders().getContentType())
				.isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
				.contains("\"detail\":\"The page size must be between 1 and 1000, but was 0.\"")
				.contains("\"maxLimit\":1000");
		});
	}

	@Test
	void statementTimeoutIsA504ProblemThatNamesNoInternals() {
		this.contextRunner.run((context) -> {
			MockServerWebExchange exchange = handle(context, "/books", new QueryTimeoutException("Statement timed out",
					new StatementTimeoutException(Duration.ofMillis(500))));
			assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
			assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5))).contains("\"status\":504")
				.contains("The database did not answer in time.")
				.doesNotContain("500ms");
		});
	}

	@Test
	void nPlusOneFailureIsA500ProblemThatSaysWhatHappenedWithoutTheStatement() {
		this.contextRunner.run((context) -> {
			MockServerWebExchange exchange = handle(context, "/authors",
					new NPlusOneQueryException("Possible N+1 queries: SELECT * FROM secret_table"));
			assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
			assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5))).contains("N+1")
				.doesNotContain("secret_table");
		});
	}

	private static MockServerWebExchange handle(AssertableReactiveWebApplicationContext context, String path,
			Throwable failure) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
		context.getBean(ErrorWebExceptionHandler.class).handle(exchange, failure).block(Duration.ofSeconds(5));
		return exchange;
	}

}
