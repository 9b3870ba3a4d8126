package dev.protevus.boot.autoconfigure.data;

import java.time.Duration;
import java.util.List;

import dev.protevus.boot.data.query.InvalidCursorException;
import dev.protevus.boot.data.relation.UnknownRelationException;
import dev.protevus.boot.web.ProblemResponseWriter;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class DataProblemWebExceptionHandlerTests {

	private final DataProblemWebExceptionHandler handler = new DataProblemWebExceptionHandler(
			new ProblemResponseWriter(ServerCodecConfigurer.create()), Duration.ofMillis(1500));

	@Test
	void unreachableDatabaseIsA503ProblemWithRetryAfterTheAcquireTime() {
		MockServerWebExchange exchange = handle("/authors/1", new DataAccessResourceFailureException("Failed",
				new R2dbcTransientResourceException("Connection refused") {
				}));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5))).contains("\"status\":503")
			.contains("\"instance\":\"/authors/1\"")
			.contains("database");
	}

	@Test
	void unknownRelationIsA400ProblemListingTheValidOnesWithoutTheEntityClass() {
		MockServerWebExchange exchange = handle("/books", new UnknownRelationException(
				DataProblemWebExceptionHandlerTests.class, "", "autor", List.of("author")));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(exchange.getResponse().getHeaders().containsKey(HttpHeaders.RETRY_AFTER)).isFalse();
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.contains("\"validRelations\":[\"author\"]")
			.doesNotContain(DataProblemWebExceptionHandlerTests.class.getSimpleName());
	}

	@Test
	void malformedCursorIsA400Problem() {
		MockServerWebExchange exchange = handle("/books", new InvalidCursorException("Malformed page cursor"));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.contains("Malformed page cursor");
	}

	@Test
	void otherFailuresAreLeftToTheNextHandler() {
		IllegalStateException failure = new IllegalStateException("not a data problem");
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/books"));
		StepVerifier.create(this.handler.handle(exchange, failure)).verifyErrorMatches((ex) -> ex == failure);
	}

	private MockServerWebExchange handle(String path, Throwable failure) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
		this.handler.handle(exchange, failure).block(Duration.ofSeconds(5));
		return exchange;
	}

}
