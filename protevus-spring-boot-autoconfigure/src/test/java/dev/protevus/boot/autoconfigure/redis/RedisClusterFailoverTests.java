package dev.protevus.boot.autoconfigure.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import dev.protevus.boot.RedisTopology;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.cache.TieredCacheAutoConfiguration;
import dev.protevus.boot.autoconfigure.queue.QueueAutoConfiguration;
import dev.protevus.boot.cache.CacheTier;
import dev.protevus.boot.cache.TieredCache;
import dev.protevus.boot.cache.TieredCacheManager;
import dev.protevus.boot.queue.JobQueue;
import dev.protevus.boot.queue.QueueStats;
import dev.protevus.boot.test.TestRedisCluster;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster promotes a replica when its master is killed in the middle of a load:
 * with Protevus's default topology refresh, Lettuce moves to the promoted node, the cache
 * fails open during the switch and uses that node after it, and a queue whose slot
 * belonged to the killed master loses no job.
 */
class RedisClusterFailoverTests {

	private final ApplicationContextRunner instance = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, TieredCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, QueueAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisAutoConfiguration.class, RedisReactiveAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues(TestRedisCluster.get().propertyValues())
		// The defaults an application gets from Protevus's environment post-processor,
		// which a context runner does not run.
		.withInitializer((context) -> new RedisHealthEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withPropertyValues("spring.application.name=cluster-failover",
				"protevus.cache.caches.books.tiers=memory,redis", "protevus.cache.caches.shelves.tiers=redis",
				"protevus.queue.serialization.allowed-packages=dev.protevus.boot.autoconfigure.redis");

	@Test
	void aKilledMasterIsReplacedAndTheCacheAndTheQueueGoOnOnItsReplica() {
		TestRedisCluster cluster = TestRedisCluster.get();
		int doomed = cluster.replicatedMasterPort();
		String queueName = onPort(doomed, "failover-");
		this.instance.withPropertyValues("protevus.queue.queues." + queueName + ".visibility-timeout=2s")
			.run((context) -> {
				TieredCache books = context.getBean(TieredCacheManager.class).getCache("books");
				TieredCache shelves = context.getBean(TieredCacheManager.class).getCache("shelves");
				JobQueue queue = context.getBean(JobQueue.class);
				String shelf = onPort(context, doomed, "cluster-failover:shelves::");
				Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
				queue.listen(queueName, Work.class, (work, job) -> Mono.fromRunnable(
						() -> runs.computeIfAbsent(work.number(), (number) -> new AtomicInteger()).incrementAndGet()));
				List<Throwable> failures = new CopyOnWriteArrayList<>();
				AtomicLong slowest = new AtomicLong();
				AtomicInteger served = new AtomicInteger();
				// Reads of keys no tier has, spread over every master, one every 10 ms.
				Disposable load = Flux.interval(Duration.ofMillis(10), Schedulers.boundedElastic())
					.onBackpressureDrop()
					.concatMap((n) -> Mono
						.fromFuture(() -> books.retrieve("load-" + n, () -> Mono.just((Object) n).toFuture()))
						.elapsed()
						.doOnNext((timed) -> {
							slowest.accumulateAndGet(timed.getT1(), Math::max);
							if (n.equals(timed.getT2())) {
								served.incrementAndGet();
							}
						}), 1)
					.subscribe(null, failures::add);
				int jobs = 300;
				Disposable publishing = Flux.range(0, jobs)
					.delayElements(Duration.ofMillis(5))
					.concatMap((number) -> queue.publish(queueName, new Work(number))
						.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(50))
							.maxBackoff(Duration.ofMillis(500))))
					.subscribe();
				int killed = -1;
				try {
					await().untilAsserted(() -> {
						assertThat(served).hasValueGreaterThan(20);
						assertThat(runs).hasSizeGreaterThan(jobs / 4);
					});
					killed = cluster.killReplicatedMaster();
					assertThat(killed).isEqualTo(doomed);
					cluster.awaitFailover(killed);
					await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
						shelves.put(shelf, "w");
						assertThat(shelves.get(shelf)).isNotNull().extracting((found) -> found.get()).isEqualTo("w");
					});
					assertThat(shelves.statistics(CacheTier.REDIS).hits()).as("read from the promoted replica")
						.isPositive();
					await().atMost(Duration.ofSeconds(60))
						.untilAsserted(() -> assertThat(runs).as("every job ran").hasSize(jobs));
					await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
						QueueStats stats = queue.stats(queueName).block(Duration.ofSeconds(5));
						assertThat(stats.depth()).isZero();
						assertThat(stats.pending()).isZero();
					});
				}
				finally {
					load.dispose();
					publishing.dispose();
					if (killed != -1) {
						cluster.restartKilled();
					}
				}
				assertThat(failures).isEmpty();
				assertThat(Duration.ofMillis(slowest.get())).isLessThan(Duration.ofSeconds(2));
			});
	}

	/**
	 * A queue name whose hash tag, and so whose keys, the master on the port serves.
	 */
	private static String onPort(int port, String prefix) {
		LettuceConnectionFactory factory = RedisTopology.CLUSTER.connectionFactory();
		try {
			ReactiveRedisClusterConnection connection = factory.getReactiveClusterConnection();
			try {
				return IntStream.range(0, 1000)
					.mapToObj((i) -> prefix + Long.toHexString(ThreadLocalRandom.current().nextLong()))
					.filter((name) -> connection.clusterGetNodeForKey(bytes("{" + name + "}"))
						.block(Duration.ofSeconds(5))
						.getPort() == port)
					.findFirst()
					.orElseThrow();
			}
			finally {
				connection.close();
			}
		}
		finally {
			factory.destroy();
		}
	}

	/**
	 * A cache key whose Redis key (under the given cache's namespace) the master on the
	 * port serves.
	 */
	private static String onPort(AssertableApplicationContext context, int port, String namespace) {
		ReactiveRedisClusterConnection connection = context.getBean(LettuceConnectionFactory.class)
			.getReactiveClusterConnection();
		try {
			return IntStream.range(0, 1000)
				.mapToObj((i) -> "shelf-" + i)
				.filter((key) -> connection.clusterGetNodeForKey(bytes(namespace + key))
					.block(Duration.ofSeconds(5))
					.getPort() == port)
				.findFirst()
				.orElseThrow();
		}
		finally {
			connection.close();
		}
	}

	private static ByteBuffer bytes(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	record Work(int number) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
