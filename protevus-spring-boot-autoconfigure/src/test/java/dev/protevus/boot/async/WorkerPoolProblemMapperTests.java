package dev.protevus.boot.async;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import dev.protevus.boot.web.Problem;
import dev.protevus.boot.web.Problems;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WorkerPoolProblemMapperTests {

	private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/reports"));

	@Test
	void fullPoolIsA503ThatAsksToRetryAndNamesNoInternals() {
		Problems problems = new Problems(List.of(new WorkerPoolProblemMapper(Duration.ofSeconds(3))));
		Problem problem = problems.resolve(new WorkerPoolFullException("reports"), this.exchange);
		assertThat(problem.detail().getStatus()).isEqualTo(503);
		assertThat(problem.detail().getTitle()).isEqualTo("Service Unavailable");
		assertThat(problem.detail().getDetail()).isEqualTo(WorkerPoolProblemMapper.DETAIL)
			.doesNotContain("reports")
			.doesNotContainIgnoringCase("pool")
			.doesNotContain("Exception");
		assertThat(problem.headers()).isNotNull();
		assertThat(problem.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("3");
	}

	@Test
	void fullPoolIsFoundInTheCauseChain() {
		Problems problems = new Problems(List.of(new WorkerPoolProblemMapper(Duration.ofSeconds(2))));
		Throwable wrapped = new IllegalStateException("handler failed",
				Exceptions.propagate(new WorkerPoolFullException("reports")));
		Problem problem = problems.resolve(wrapped, this.exchange);
		assertThat(problem.detail().getStatus()).isEqualTo(503);
		assertThat(problem.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
	}

	@Test
	void otherRejectionsAreLeftToTheWebLayersFallback() {
		assertThat(new WorkerPoolProblemMapper().map(new RejectedExecutionException("shutting down"))).isNull();
		Problem problem = new Problems(List.of(new WorkerPoolProblemMapper(Duration.ofSeconds(5))))
			.resolve(new RejectedExecutionException("Worker pool 'reports' is shutting down"), this.exchange);
		assertThat(problem.detail().getStatus()).isEqualTo(503);
		assertThat(problem.headers().getFirst(HttpHeaders.RETRY_AFTER)).as("the fallback's, not the mapper's")
			.isEqualTo("1");
		assertThat(problem.detail().getDetail()).doesNotContain("reports");
	}

	@Test
	void retryAfterMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WorkerPoolProblemMapper(Duration.ZERO))
			.withMessageContaining("PT0S");
	}

}
