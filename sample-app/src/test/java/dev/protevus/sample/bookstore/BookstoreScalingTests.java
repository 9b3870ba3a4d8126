package dev.protevus.sample.bookstore;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.protevus.boot.scaling.ScalingAdvisor;
import dev.protevus.boot.scaling.ScalingSignals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scaling advice in the running sample: every signal reports a real value, and the
 * Kubernetes and KEDA manifests in {@code docs/deploy} reference only metrics and
 * endpoints that the sample really exports.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "protevus.cache.file.directory=${java.io.tmpdir}/protevus-sample-test-${random.uuid}",
				"protevus.scaling.interval=200ms" })
@SampleServerTest
class BookstoreScalingTests {

	private static final Path DEPLOY = Path.of("../docs/deploy");

	private static final Pattern METRIC = Pattern.compile("\\bprotevus_[a-z0-9_]+");

	@Autowired
	private WebTestClient client;

	@Autowired
	private ScalingAdvisor advisor;

	private final ObjectMapper json = new ObjectMapper();

	@BeforeEach
	void serveSomeRequests() {
		for (int i = 0; i < 5; i++) {
			this.client.get().uri("/books").exchange().expectStatus().isOk();
		}
		await().until(() -> this.advisor.latest() != null);
	}

	@Test
	void everySignalReportsARealValue() throws IOException {
		System.gc();
		List<String> signals = List.of(ScalingSignals.CPU, ScalingSignals.SYSTEM_CPU, ScalingSignals.HEAP_AFTER_GC,
				ScalingSignals.GC_PAUSE, ScalingSignals.EVENT_LOOP_LAG, ScalingSignals.IN_FLIGHT,
				ScalingSignals.REQUEST_RATE, ScalingSignals.P99_LATENCY, ScalingSignals.POOL_UTILIZATION,
				ScalingSignals.POOL_PENDING, ScalingSignals.WORKER_QUEUE);
		await().untilAsserted(() -> {
			this.client.get().uri("/books").exchange().expectStatus().isOk();
			JsonNode scaling = scaling();
			assertThat(signals)
				.allSatisfy((name) -> assertThat(scaling.path("signals").path(name).path("value").isNumber())
					.as("value of signal %s in %s", name, scaling.path("signals"))
					.isTrue());
		});
		JsonNode scaling = scaling();
		assertThat(scaling.path("signals").path("p99-latency").path("value").asDouble()).isPositive();
		assertThat(scaling.path("signals").path("cpu").path("target").asDouble()).isEqualTo(0.70);
		assertThat(scaling.path("desiredReplicas").isInt()).isTrue();
		assertThat(scaling.path("vertical").path("requests").path("memory").asText()).endsWith("Mi");
	}

	@Test
	void theDeploymentManifestsReferenceOnlyWhatTheSampleExports() throws IOException {
		List<Object> documents = manifests();
		assertThat(documents).extracting((document) -> (Object) String.valueOf(((Map<?, ?>) document).get("kind")))
			.contains("Deployment", "Service", "HorizontalPodAutoscaler", "ScaledObject");
		Set<String> metrics = new TreeSet<>();
		Set<String> paths = new TreeSet<>();
		Set<String> valueLocations = new TreeSet<>();
		Set<String> signals = new TreeSet<>();
		for (Object document : documents) {
			walk(document, null, metrics, paths, valueLocations, signals);
		}
		assertThat(metrics).contains("protevus_scaling_utilization");
		assertThat(paths).contains("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus",
				"/actuator/scaling");
		assertThat(valueLocations).containsExactly("desiredReplicas");
		assertThat(signals).isNotEmpty();

		String scrape = this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(metrics).allSatisfy(
				(metric) -> assertThat(scrape).as("scrape for %s", metric).containsPattern("(?m)^" + metric + "[{ ]"));
		assertThat(signals).allSatisfy((signal) -> assertThat(scrape).as("scrape for signal %s", signal)
			.containsPattern("(?m)^protevus_scaling_utilization\\{[^}]*signal=\"" + Pattern.quote(signal) + "\""));
		assertThat(paths).allSatisfy((path) -> this.client.get().uri(path).exchange().expectStatus().isOk());
		JsonNode scaling = scaling();
		assertThat(valueLocations)
			.allSatisfy((location) -> assertThat(scaling.at("/" + location.replace('.', '/')).isNumber()).as(location)
				.isTrue());
	}

	private JsonNode scaling() throws IOException {
		byte[] body = this.client.get()
			.uri("/actuator/scaling")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(body);
	}

	private static List<Object> manifests() throws IOException {
		List<Object> documents = new ArrayList<>();
		try (Stream<Path> files = Files.list(DEPLOY)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".yaml")).sorted().toList()) {
				try (Reader reader = Files.newBufferedReader(file)) {
					new Yaml().loadAll(reader).forEach(documents::add);
				}
			}
		}
		return documents;
	}

	/**
	 * Collects what a manifest references: Prometheus metric names in any string,
	 * actuator paths (probe paths, scrape annotations, URLs), metrics-api value
	 * locations, and the {@code signal} labels that metric selectors match.
	 */
	private static void walk(Object node, String key, Set<String> metrics, Set<String> paths,
			Set<String> valueLocations, Set<String> signals) {
		if (node instanceof Map<?, ?> map) {
			map.forEach((k, v) -> walk(v, String.valueOf(k), metrics, paths, valueLocations, signals));
		}
		else if (node instanceof List<?> list) {
			list.forEach((item) -> walk(item, key, metrics, paths, valueLocations, signals));
		}
		else if (node instanceof String text) {
			Matcher metric = METRIC.matcher(text);
			while (metric.find()) {
				metrics.add(metric.group());
			}
			if (text.startsWith("/actuator/")) {
				paths.add(text);
			}
			else if (text.startsWith("http") && text.contains("/actuator/")) {
				paths.add(URI.create(text).getPath());
			}
			if ("valueLocation".equals(key)) {
				valueLocations.add(text);
			}
			if ("signal".equals(key)) {
				signals.add(text);
			}
		}
	}

}
