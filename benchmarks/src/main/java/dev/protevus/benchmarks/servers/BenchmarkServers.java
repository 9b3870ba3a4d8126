package dev.protevus.benchmarks.servers;

import java.util.Arrays;
import java.util.List;

import dev.protevus.boot.test.TestPostgres;
import dev.protevus.boot.test.TestRedis;

/**
 * Starts the embedded PostgreSQL and Redis of protevus-spring-boot-test for a benchmark
 * run and keeps them running until it is terminated ({@code SIGTERM}); the servers stop
 * with the JVM. {@code benchmarks/run.sh} uses it when {@code PROTEVUS_R2DBC_URL} or
 * {@code PROTEVUS_REDIS_URL} is not set.
 * <p>
 * Run with {@code java -cp benchmarks/target/benchmarks.jar
 * dev.protevus.benchmarks.servers.BenchmarkServers [postgres] [redis]}. It prints one
 * {@code NAME=value} line per server started, which a shell can source, then
 * {@code ready}.
 *
 * @since 0.1.0
 */
public final class BenchmarkServers {

	private BenchmarkServers() {
	}

	public static void main(String[] args) throws InterruptedException {
		List<String> wanted = (args.length > 0) ? Arrays.asList(args) : List.of("postgres", "redis");
		if (wanted.contains("postgres")) {
			TestPostgres postgres = TestPostgres.get();
			System.out.printf("PROTEVUS_R2DBC_URL=r2dbc:postgresql://%s@%s:%d/%s%n", postgres.username(),
					postgres.host(), postgres.port(), postgres.database());
		}
		if (wanted.contains("redis")) {
			System.out.printf("PROTEVUS_REDIS_URL=%s%n", TestRedis.get().url());
		}
		System.out.println("ready");
		System.out.flush();
		// Until the run terminates us: the shutdown hooks of TestPostgres and TestRedis
		// then
		// stop the servers and delete their data.
		Thread.currentThread().join();
	}

}
