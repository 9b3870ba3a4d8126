package dev.protevus.boot.autoconfigure.loadbalancer;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.PropertyChecks;
import dev.protevus.boot.loadbalancer.HashKey;
import dev.protevus.boot.loadbalancer.ServiceSettings;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;

/**
 * Resolves and checks {@code protevus.loadbalancer.*} into each service's
 * {@link ServiceSettings}: a configured service's own keys bound over the defaults, an
 * unknown service the defaults. Every value that cannot work fails start-up with an
 * {@link InvalidPropertyException} naming its key.
 *
 * @since 0.1.0
 */
public class LoadBalancerSettings implements Function<String, ServiceSettings> {

	static final String PREFIX = "protevus.loadbalancer";

	private static final Set<String> METHODS = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH",
			"TRACE");

	private final LoadBalancerProperties properties;

	private final Map<String, ServiceSettings> configured = new ConcurrentHashMap<>();

	private final Map<String, ServiceSettings> others = new ConcurrentHashMap<>();

	/**
	 * Resolves and checks every configured service.
	 * @param properties the bound properties
	 * @param environment where per-service keys are bound from
	 */
	public LoadBalancerSettings(LoadBalancerProperties properties, Environment environment) {
		this.properties = properties;
		LoadBalancerProperties.Service defaults = LoadBalancerProperties.Service.inheriting(properties);
		resolve("", PREFIX, defaults);
		Binder binder = Binder.get(environment);
		for (String serviceId : properties.getServices().keySet()) {
			LoadBalancerProperties.Service service = LoadBalancerProperties.Service.inheriting(properties);
			String prefix = PREFIX + ".services." + serviceId;
			binder.bind(ConfigurationPropertyName.of(PREFIX + ".services").append(serviceId),
					Bindable.ofInstance(service));
			this.configured.put(serviceId, resolve(serviceId, prefix, service));
		}
	}

	/**
	 * The names of the services configured under {@code protevus.loadbalancer.services}.
	 * @return the names
	 */
	public Set<String> configuredServices() {
		return this.configured.keySet();
	}

	@Override
	public ServiceSettings apply(String serviceId) {
		ServiceSettings settings = this.configured.get(serviceId);
		if (settings != null) {
			return settings;
		}
		return this.others.computeIfAbsent(serviceId,
				(id) -> resolve(id, PREFIX, LoadBalancerProperties.Service.inheriting(this.properties)));
	}

	/**
	 * The strategy of a service.
	 * @param serviceId the service
	 * @return its strategy
	 */
	public LoadBalancerStrategy strategy(String serviceId) {
		return LoadBalancerStrategy.of(apply(serviceId).strategy());
	}

	private static ServiceSettings resolve(String serviceId, String prefix, LoadBalancerProperties.Service service) {
		LoadBalancerStrategy strategy = LoadBalancerStrategy.of(service.getStrategy());
		if (strategy == null) {
			throw new InvalidPropertyException(prefix + ".strategy", service.getStrategy(),
					"it is not a known strategy",
					"Set '" + prefix + ".strategy' to round-robin, least-connections, ip-hash, weighted or random.");
		}
		List<URI> instances = new ArrayList<>();
		for (int i = 0; i < service.getInstances().size(); i++) {
			instances.add(instance(prefix + ".instances[" + i + "]", service.getInstances().get(i)));
		}
		return new ServiceSettings(serviceId.isEmpty() ? "default" : serviceId, strategy.value(), instances,
				hashKey(prefix + ".hash-key", service.getHashKey()), healthCheck(prefix + ".health-check.", service),
				outlierDetection(prefix + ".outlier-detection.", service), retry(prefix + ".retry.", service));
	}

	private static URI instance(String property, String value) {
		URI uri;
		try {
			uri = new URI(value.trim());
		}
		catch (URISyntaxException ex) {
			uri = null;
		}
		if (uri == null || uri.getScheme() == null || uri.getHost() == null
				|| !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
				|| (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
				|| uri.getQuery() != null) {
			throw new InvalidPropertyException(property, value, "it is not the base URL of an instance",
					"Set '" + property + "' to an http or https URL with a host, an optional port and no path, "
							+ "such as http://127.0.0.1:9001.");
		}
		return uri;
	}

	private static HashKey hashKey(String property, String value) {
		String key = (value != null) ? value.trim() : "";
		if (key.equalsIgnoreCase("client-ip")) {
			return HashKey.clientIp();
		}
		for (String kind : List.of("header:", "cookie:")) {
			if (key.regionMatches(true, 0, kind, 0, kind.length())) {
				String name = key.substring(kind.length()).trim();
				if (name.isEmpty()) {
					throw new InvalidPropertyException(property, value, "'" + kind + "' must be followed by a name",
							"Set '" + property + "' to '" + kind + "' and a name, such as " + kind
									+ (kind.equals("header:") ? "X-User-Id" : "SESSION") + ".");
				}
				return kind.equals("header:") ? HashKey.header(name) : HashKey.cookie(name);
			}
		}
		throw new InvalidPropertyException(property, value, "it is not a known hash key", "Set '" + property
				+ "' to client-ip, or to 'header:' or 'cookie:' and a name, such as header:X-User-Id.");
	}

	private static ServiceSettings.HealthCheck healthCheck(String prefix, LoadBalancerProperties.Service service) {
		LoadBalancerProperties.HealthCheck check = service.getHealthCheck();
		String path = (check.getPath() != null) ? check.getPath().trim() : "";
		if (!path.startsWith("/")) {
			throw new InvalidPropertyException(prefix + "path", check.getPath(), "it must be a path",
					"Set '" + prefix + "path' to a path starting with '/', such as /actuator/health.");
		}
		return new ServiceSettings.HealthCheck(check.isEnabled(), path,
				PropertyChecks.positive(prefix + "interval", check.getInterval(), "5s"),
				PropertyChecks.positive(prefix + "timeout", check.getTimeout(), "1s"),
				(int) PropertyChecks.positive(prefix + "healthy-threshold", check.getHealthyThreshold(), "2"),
				(int) PropertyChecks.positive(prefix + "unhealthy-threshold", check.getUnhealthyThreshold(), "2"));
	}

	private static ServiceSettings.OutlierDetection outlierDetection(String prefix,
			LoadBalancerProperties.Service service) {
		LoadBalancerProperties.OutlierDetection outliers = service.getOutlierDetection();
		int percent = outliers.getMaxEjectionPercent();
		if (percent < 0 || percent > 100) {
			throw new InvalidPropertyException(prefix + "max-ejection-percent", percent, "it must be between 0 and 100",
					"Set '" + prefix + "max-ejection-percent' to a percentage, such as 50.");
		}
		return new ServiceSettings.OutlierDetection(
				(int) PropertyChecks.notNegative(prefix + "consecutive-failures", outliers.getConsecutiveFailures(),
						"5", "switches ejection off"),
				PropertyChecks.positive(prefix + "base-ejection-time", outliers.getBaseEjectionTime(), "30s"),
				PropertyChecks.positive(prefix + "max-ejection-time", outliers.getMaxEjectionTime(), "5m"), percent);
	}

	private static ServiceSettings.Retry retry(String prefix, LoadBalancerProperties.Service service) {
		LoadBalancerProperties.Retry retry = service.getRetry();
		int maxAttempts = (int) PropertyChecks.positive(prefix + "max-attempts", retry.getMaxAttempts(), "3");
		Set<Integer> statuses = new LinkedHashSet<>();
		boolean connectFailure = false;
		boolean reset = false;
		for (String value : retry.getRetryOn()) {
			String condition = value.trim().toLowerCase(Locale.ROOT);
			if (condition.equals("connect-failure")) {
				connectFailure = true;
			}
			else if (condition.equals("reset")) {
				reset = true;
			}
			else if (condition.matches("[1-5][0-9][0-9]")) {
				statuses.add(Integer.parseInt(condition));
			}
			else {
				throw new InvalidPropertyException(prefix + "retry-on", value, "it is not a retry condition",
						"Set '" + prefix + "retry-on' to connect-failure, reset and statuses, such as 503.");
			}
		}
		Set<String> methods = new LinkedHashSet<>();
		for (String value : retry.getMethods()) {
			String method = value.trim().toUpperCase(Locale.ROOT);
			if (!METHODS.contains(method)) {
				throw new InvalidPropertyException(prefix + "methods", value, "it is not an HTTP method",
						"Set '" + prefix + "methods' to HTTP methods, such as GET, HEAD, OPTIONS, PUT, DELETE.");
			}
			methods.add(HttpMethod.valueOf(method).name());
		}
		return new ServiceSettings.Retry(retry.isEnabled(), maxAttempts, methods, statuses, connectFailure, reset);
	}

}
