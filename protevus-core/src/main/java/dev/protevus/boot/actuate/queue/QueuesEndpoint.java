package dev.protevus.boot.actuate.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.protevus.boot.queue.DeadJob;
import dev.protevus.boot.queue.JobQueue;
import dev.protevus.boot.queue.QueueSettings;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * Actuator endpoint {@code queues}: each known queue's depth, pending jobs, consumers,
 * lag, delayed and dead jobs and settings ({@code GET /actuator/queues} and
 * {@code /actuator/queues/{queue}}), its newest dead jobs ({@code GET
 * /actuator/queues/{queue}/dead}), and two operations: {@code POST
 * /actuator/queues/{queue}/retry-dead} moves the dead jobs back to the queue, {@code POST
 * /actuator/queues/{queue}/purge-dead} deletes them.
 *
 * @since 0.1.0
 */
@Endpoint(id = "queues")
public class QueuesEndpoint {

	static final int DEAD_JOBS_SHOWN = 100;

	private final JobQueue jobQueue;

	public QueuesEndpoint(JobQueue jobQueue) {
		this.jobQueue = jobQueue;
	}

	@ReadOperation
	public Mono<QueuesDescriptor> queues() {
		return Flux.fromIterable(this.jobQueue.queues())
			.concatMap(this::describe)
			.collectMap(QueueDescriptor::name, (queue) -> queue, TreeMap::new)
			.map((queues) -> new QueuesDescriptor(Map.copyOf(queues)));
	}

	@ReadOperation
	public Mono<QueueDescriptor> queue(@Selector String queue) {
		return describe(queue);
	}

	@ReadOperation
	public Mono<DeadJobsDescriptor> deadJobs(@Selector String queue, @Selector String dead) {
		if (!"dead".equals(dead)) {
			return Mono.empty();
		}
		return this.jobQueue.deadJobs(queue, DEAD_JOBS_SHOWN).collectList().map(DeadJobsDescriptor::new);
	}

	@WriteOperation
	@Nullable
	public Mono<OperationDescriptor> operate(@Selector String queue, @Selector String operation) {
		return switch (operation) {
			case "retry-dead" ->
				this.jobQueue.retryDead(queue).map((count) -> new OperationDescriptor(operation, count));
			case "purge-dead" ->
				this.jobQueue.purgeDead(queue).map((count) -> new OperationDescriptor(operation, count));
			default -> Mono.empty();
		};
	}

	private Mono<QueueDescriptor> describe(String queue) {
		QueueSettings settings = this.jobQueue.settings(queue);
		SettingsDescriptor described = new SettingsDescriptor(settings.concurrency(), settings.maxAttempts(),
				settings.backoff().initial(), settings.backoff().multiplier(), settings.backoff().max(),
				settings.visibilityTimeout(), settings.maxLength());
		return this.jobQueue.stats(queue)
			.map((stats) -> new QueueDescriptor(queue, stats.depth(), stats.pending(), stats.consumers(),
					seconds(stats.lag()), stats.delayed(), stats.dead(), described, null))
			.onErrorResume((ex) -> Mono.just(new QueueDescriptor(queue, null, null, null, null, null, null, described,
					"unavailable: " + ex.getMessage())));
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

	/**
	 * Every queue known to this instance.
	 *
	 * @param queues the queues by name
	 */
	public record QueuesDescriptor(Map<String, QueueDescriptor> queues) implements OperationResponseBody {
	}

	/**
	 * One queue; its counts are {@code null} while its broker cannot be reached.
	 *
	 * @param name the queue's name
	 * @param depth jobs waiting for a consumer
	 * @param pending jobs on a consumer, not yet acknowledged
	 * @param consumers consumers the consumer group knows
	 * @param lag age of the oldest waiting or pending job, in seconds
	 * @param delayed delayed jobs and retries waiting for their time
	 * @param dead jobs in the dead-letter stream
	 * @param settings the queue's settings
	 * @param error why the counts are missing, or {@code null}
	 */
	public record QueueDescriptor(String name, @Nullable Long depth, @Nullable Long pending, @Nullable Long consumers,
			@Nullable Double lag, @Nullable Long delayed, @Nullable Long dead, SettingsDescriptor settings,
			@Nullable String error) implements OperationResponseBody {
	}

	/**
	 * A queue's settings.
	 *
	 * @param concurrency jobs one instance runs at once
	 * @param maxAttempts attempts before the dead-letter stream
	 * @param backoffInitial the first retry's wait
	 * @param backoffMultiplier the growth of each further wait
	 * @param backoffMax the longest wait
	 * @param visibilityTimeout how long a job may stay unacknowledged before another
	 * consumer takes it over
	 * @param maxLength jobs kept at most
	 */
	public record SettingsDescriptor(int concurrency, int maxAttempts, Duration backoffInitial,
			double backoffMultiplier, Duration backoffMax, Duration visibilityTimeout, long maxLength) {
	}

	/**
	 * The newest dead jobs of a queue.
	 *
	 * @param jobs the jobs, newest first, at most {@value QueuesEndpoint#DEAD_JOBS_SHOWN}
	 */
	public record DeadJobsDescriptor(List<DeadJob> jobs) implements OperationResponseBody {
	}

	/**
	 * The result of an operation.
	 *
	 * @param operation {@code retry-dead} or {@code purge-dead}
	 * @param jobs how many jobs it moved or deleted
	 */
	public record OperationDescriptor(String operation, long jobs) implements OperationResponseBody {
	}

}
