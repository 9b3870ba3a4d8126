package dev.protevus.sample.bookstore.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.protevus.boot.test.TestPostgres;
import dev.protevus.boot.test.TestRedis;
import dev.protevus.sample.bookstore.BookstoreApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Instances of the sample bookstore in this JVM, each on a random port with the
 * {@code distributed} profile on the shared embedded PostgreSQL and Redis, as instances
 * behind a load balancer would run. An instance can be stopped (its context closed at
 * once, as {@code server.shutdown=immediate} does) and started again on its port.
 */
final class ChaosInstances implements AutoCloseable {

	private final List<String> common;

	private final List<Instance> instances = new ArrayList<>();

	private ChaosInstances(List<String> common) {
		this.common = common;
	}

	/**
	 * Starts {@code count} instances, one after the other (each runs the idempotent seed
	 * scripts), with the given extra {@code --key=value} arguments on top of the
	 * distributed profile.
	 */
	static ChaosInstances start(int count, String... arguments) {
		return start(count, (context) -> {
		}, arguments);
	}

	static ChaosInstances start(int count, Consumer<GenericApplicationContext> beans, String... arguments) {
		TestPostgres postgres = TestPostgres.get();
		TestRedis redis = TestRedis.get();
		List<String> common = new ArrayList<>(
				List.of("--spring.profiles.active=distributed", "--spring.main.banner-mode=off",
						"--server.shutdown=immediate", "--spring.r2dbc.url=" + postgres.r2dbcUrl(),
						"--spring.r2dbc.username=" + postgres.username(), "--spring.r2dbc.password=",
						"--spring.data.redis.url=" + redis.url(), "--protevus.scaling.replicas.current=" + count,
						"--logging.level.root=WARN", "--logging.level.dev.protevus=WARN"));
		common.addAll(Arrays.asList(arguments));
		ChaosInstances instances = new ChaosInstances(common);
		try {
			for (int i = 0; i < count; i++) {
				Instance instance = instances.new Instance(i, beans, List.of());
				instance.start(0);
				instances.instances.add(instance);
			}
		}
		catch (RuntimeException ex) {
			instances.close();
			throw ex;
		}
		return instances;
	}

	/**
	 * Starts one more instance, with arguments of its own after the common ones.
	 */
	Instance add(Consumer<GenericApplicationContext> beans, String... arguments) {
		Instance instance = new Instance(this.instances.size(), beans, List.of(arguments));
		instance.start(0);
		this.instances.add(instance);
		return instance;
	}

	/**
	 * The arguments every instance starts with, for an instance in a process of its own.
	 */
	List<String> arguments() {
		return List.copyOf(this.common);
	}

	Instance get(int index) {
		return this.instances.get(index);
	}

	List<Instance> all() {
		return List.copyOf(this.instances);
	}

	@Override
	public void close() {
		this.instances.forEach(Instance::stop);
	}

	/**
	 * One instance of the sample.
	 */
	final class Instance {

		private final int index;

		private final Consumer<GenericApplicationContext> beans;

		private volatile ConfigurableApplicationContext context;

		private int port;

		private final List<String> arguments;

		private Instance(int index, Consumer<GenericApplicationContext> beans, List<String> arguments) {
			this.index = index;
			this.beans = beans;
			this.arguments = arguments;
		}

		/**
		 * Starts the instance, on the given port or a random one when 0.
		 */
		void start(int port) {
			String[] args = Stream
				.of(ChaosInstances.this.common.stream(), this.arguments.stream(),
						Stream.of("--server.port=" + port, "--protevus.chaos.instance=" + this.index))
				.flatMap((stream) -> stream)
				.toArray(String[]::new);
			this.context = new SpringApplicationBuilder(BookstoreApplication.class).initializers((context) -> {
				GenericApplicationContext generic = (GenericApplicationContext) context;
				// Event loops of its own, as a process has: by default every context
				// shares Reactor Netty's global loops and disposes them when it closes,
				// which would stop the other instances' servers too.
				generic.registerBean(ReactorResourceFactory.class, () -> {
					ReactorResourceFactory factory = new ReactorResourceFactory();
					factory.setUseGlobalResources(false);
					factory.setShutdownQuietPeriod(Duration.ZERO);
					factory.setShutdownTimeout(Duration.ofSeconds(2));
					return factory;
				});
				this.beans.accept(generic);
			}).run(args);
			// Read from the environment rather than the web server context, whose type
			// moved in Boot 4.
			this.port = this.context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		}

		/**
		 * Starts the instance again on the port it had.
		 */
		void restart() {
			start(this.port);
		}

		/**
		 * Closes the instance's context at once, as a process that is stopped would
		 * disappear: its server stops listening, its connections close.
		 */
		void stop() {
			ConfigurableApplicationContext context = this.context;
			if (context != null) {
				this.context = null;
				context.close();
			}
		}

		boolean isRunning() {
			return this.context != null;
		}

		int index() {
			return this.index;
		}

		int port() {
			return this.port;
		}

		String url() {
			return "http://127.0.0.1:" + this.port;
		}

		<T> T bean(Class<T> type) {
			return this.context.getBean(type);
		}

		<T> T bean(String name, Class<T> type) {
			return this.context.getBean(name, type);
		}

		ConfigurableApplicationContext context() {
			return this.context;
		}

		@Override
		public String toString() {
			return "instance " + this.index + " on port " + this.port;
		}

	}

	static Duration elapsedSince(long nanos) {
		return Duration.ofNanos(System.nanoTime() - nanos);
	}

}
