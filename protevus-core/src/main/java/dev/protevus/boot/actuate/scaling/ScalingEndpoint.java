package dev.protevus.boot.actuate.scaling;

import dev.protevus.boot.scaling.ScalingAdvisor;
import dev.protevus.boot.scaling.ScalingRecommendation;
import dev.protevus.boot.scaling.ScalingReport;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.lang.Nullable;

/**
 * The {@code scaling} actuator endpoint: the latest scaling recommendation, with every
 * signal, the desired replica count, the verdict, the vertical advice, the active
 * schedule and the stabilisation state. It answers what the background sampling computed
 * last and never reads a signal itself. KEDA's {@code metrics-api} scaler reads the
 * replica count with the GJSON path {@code desiredReplicas}.
 *
 * @since 0.1.0
 */
@Endpoint(id = "scaling")
public class ScalingEndpoint {

	private final ScalingAdvisor advisor;

	/**
	 * Creates the endpoint.
	 * @param advisor the advisor whose latest recommendation it shows
	 */
	public ScalingEndpoint(ScalingAdvisor advisor) {
		this.advisor = advisor;
	}

	/**
	 * The latest recommendation.
	 * @return the report, {@code null} (404) before the first sample
	 */
	@ReadOperation
	@Nullable
	public ScalingReport scaling() {
		ScalingRecommendation latest = this.advisor.latest();
		return (latest != null) ? ScalingReport.of(latest) : null;
	}

}
