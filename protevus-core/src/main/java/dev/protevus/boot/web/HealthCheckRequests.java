package dev.protevus.boot.web;

import java.util.function.Predicate;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.StringUtils;

/**
 * Recognises requests for the actuator's health endpoint, which load balancers and
 * Kubernetes probes call. Rate limits and load shedding let them through: a liveness
 * probe refused because the instance is busy would have it restarted, which only adds
 * load.
 *
 * @since 0.1.0
 */
public final class HealthCheckRequests implements Predicate<ServerHttpRequest> {

	private final String healthPath;

	/**
	 * Creates the predicate.
	 * @param actuatorBasePath the actuator's base path, such as {@code /actuator}
	 */
	public HealthCheckRequests(String actuatorBasePath) {
		this.healthPath = StringUtils.trimTrailingCharacter(actuatorBasePath, '/') + "/health";
	}

	@Override
	public boolean test(ServerHttpRequest request) {
		String path = request.getPath().pathWithinApplication().value();
		return path.startsWith(this.healthPath)
				&& (path.length() == this.healthPath.length() || path.charAt(this.healthPath.length()) == '/');
	}

}
