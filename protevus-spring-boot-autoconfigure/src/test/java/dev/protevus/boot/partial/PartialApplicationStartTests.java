package dev.protevus.boot.partial;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One real start, as a user runs a service: {@link PartialApplication}'s {@code main} in
 * a JVM of its own, on this module's test class path without the R2DBC drivers and Spring
 * Cloud Gateway (so: the starter's libraries and Spring Cloud LoadBalancer, no driver, no
 * database URL, no Redis configured). Unlike the context runner it goes through
 * {@code SpringApplication}: environment post-processors, logging, failure analysis, a
 * Netty server and a clean shutdown through the actuator.
 */
class PartialApplicationStartTests {

	private static final Pattern PORT = Pattern.compile("Netty started on port (\\d+)");

	/**
	 * The R2DBC drivers, and Spring Cloud Gateway, which this module builds against but a
	 * service that only calls others does not have (its deprecated artifact warns).
	 */
	private static final List<String> LEFT_OUT = List.of("r2dbc-h2", "r2dbc-postgresql", "spring-cloud-gateway");

	@Test
	void serviceWithoutDatabaseOrRedisStartsHealthyAndStopsWithoutWarnings(@TempDir Path directory) throws Exception {
		Path log = directory.resolve("application.log");
		Process process = new ProcessBuilder(javaCommand()).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			int port = await().atMost(Duration.ofMinutes(3))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> port(log, process), (found) -> found != 0);
			HttpClient client = HttpClient.newHttpClient();
			HttpResponse<String> health = client.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).startsWith("{\"status\":\"UP\"").doesNotContain("r2dbc").doesNotContain("redis");
			HttpResponse<String> shutdown = client
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/shutdown"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(shutdown.statusCode()).isEqualTo(200);
			assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("the service stopped").isTrue();
		}
		finally {
			process.destroyForcibly();
		}
		String output = Files.readString(log);
		assertThat(output).contains("No R2DBC driver on the class path and no spring.r2dbc.url")
			.doesNotContain("APPLICATION FAILED TO START");
		assertThat(output.lines().filter((line) -> line.contains(" WARN ") || line.contains(" ERROR ")))
			.as("warnings and errors in%n%s", output)
			.isEmpty();
	}

	private static int port(Path log, Process process) throws IOException {
		assertThat(process.isAlive()).as("the service runs: %s", Files.readString(log)).isTrue();
		Matcher matcher = PORT.matcher(Files.readString(log));
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
	}

	private static List<String> javaCommand() {
		String classPath = Arrays.stream(testClassPath().split(File.pathSeparator))
			.filter((entry) -> LEFT_OUT.stream().noneMatch(entry::contains))
			.collect(Collectors.joining(File.pathSeparator));
		return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
				"-cp", classPath, PartialApplication.class.getName(), "--server.port=0", "--server.address=127.0.0.1",
				"--spring.application.name=partial", "--management.endpoints.web.exposure.include=health,shutdown",
				"--management.endpoint.shutdown.access=unrestricted", "--spring.main.banner-mode=off");
	}

	private static String testClassPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null) ? surefire : System.getProperty("java.class.path");
	}

}
