package dev.protevus.boot.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.protevus.boot.autoconfigure.InvalidPropertyException;
import dev.protevus.boot.autoconfigure.PropertyChecks;
import dev.protevus.boot.web.CacheControlRule;
import dev.protevus.boot.web.HealthCheckRequests;
import dev.protevus.boot.web.RateLimitKey;

import org.springframework.lang.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * The web layer's settings, checked when the application starts so that a value that
 * cannot work fails start-up naming the property and the fix, rather than the first
 * request.
 */
final class WebLayerSettings {

	private static final String PREFIX = WebLayerProperties.PREFIX + ".";

	private static final String RATE_LIMIT_KEY = PREFIX + "rate-limit.key";

	private static final String HEADER_PREFIX = "header:";

	private final Duration requestTimeout;

	private final int maxInFlight;

	private final RateLimitKey rateLimitKey;

	private final int limitForPeriod;

	private final Duration limitRefreshPeriod;

	private final List<CacheControlRule> cacheControl;

	private final boolean etag;

	private final HealthCheckRequests healthChecks;

	WebLayerSettings(WebLayerProperties properties, Map<String, String> cacheControl, ClassLoader classLoader,
			String actuatorBasePath) {
		this.requestTimeout = PropertyChecks.notNegative(PREFIX + "request-timeout", properties.getRequestTimeout(),
				"10s", "leaves requests unbound");
		this.maxInFlight = (int) PropertyChecks.notNegative(PREFIX + "max-in-flight", properties.getMaxInFlight(),
				"1000", "means no limit");
		WebLayerProperties.RateLimit rateLimit = properties.getRateLimit();
		this.rateLimitKey = rateLimitKey(rateLimit.getKey());
		this.limitForPeriod = (int) PropertyChecks.positive(PREFIX + "rate-limit.limit-for-period",
				rateLimit.getLimitForPeriod(), "100");
		this.limitRefreshPeriod = PropertyChecks.positive(PREFIX + "rate-limit.limit-refresh-period",
				rateLimit.getLimitRefreshPeriod(), "1s");
		this.cacheControl = cacheControlRules(cacheControl);
		this.etag = properties.isEtag();
		this.healthChecks = new HealthCheckRequests(actuatorBasePath);
		if (rateLimit.isEnabled()) {
			requireLibraries(classLoader, "rate-limit.enabled", true, "rate limiting",
					"io.github.resilience4j.ratelimiter.RateLimiter", "com.github.benmanes.caffeine.cache.Caffeine");
		}
		if (this.maxInFlight > 0) {
			requireLibraries(classLoader, "max-in-flight", this.maxInFlight, "load shedding",
					"io.github.resilience4j.bulkhead.Bulkhead");
		}
	}

	/**
	 * The whole-request bound, zero when there is none.
	 */
	Duration requestTimeout() {
		return this.requestTimeout;
	}

	/**
	 * The most requests served at once, zero when unlimited.
	 */
	int maxInFlight() {
		return this.maxInFlight;
	}

	RateLimitKey rateLimitKey() {
		return this.rateLimitKey;
	}

	int limitForPeriod() {
		return this.limitForPeriod;
	}

	Duration limitRefreshPeriod() {
		return this.limitRefreshPeriod;
	}

	List<CacheControlRule> cacheControl() {
		return this.cacheControl;
	}

	boolean etag() {
		return this.etag;
	}

	/**
	 * Requests for the health endpoint, which limits let through.
	 */
	HealthCheckRequests healthChecks() {
		return this.healthChecks;
	}

	private static void requireLibraries(ClassLoader classLoader, String key, Object value, String feature,
			String... classNames) {
		for (String className : classNames) {
			if (!ClassUtils.isPresent(className, classLoader)) {
				throw new InvalidPropertyException(PREFIX + key, value,
						feature + " needs " + className + ", which is not on the class path",
						"Add resilience4j-ratelimiter, resilience4j-bulkhead and caffeine (protevus-spring-boot-starter"
								+ " brings them), or switch " + feature + " off with '" + PREFIX + key + "'.");
			}
		}
	}

	private static List<CacheControlRule> cacheControlRules(Map<String, String> entries) {
		List<CacheControlRule> rules = new ArrayList<>(entries.size());
		for (Map.Entry<String, String> entry : entries.entrySet()) {
			String key = PREFIX + "cache-control[" + entry.getKey() + "]";
			if (!entry.getKey().startsWith("/")) {
				throw new InvalidPropertyException(PREFIX + "cache-control", entry.getKey(),
						"a path pattern must start with '/'",
						"Start the pattern with '/': \"/books/**\": \"max-age=60\" under '" + PREFIX
								+ "cache-control' in YAML, or '" + PREFIX
								+ "cache-control[/books/**]=max-age=60' in properties.");
			}
			if (!StringUtils.hasText(entry.getValue())) {
				throw new InvalidPropertyException(key, entry.getValue(), "a Cache-Control value must not be blank",
						"Set '" + key + "' to a Cache-Control value, such as 'max-age=60, public', or remove it.");
			}
			try {
				rules.add(new CacheControlRule(PathPatternParser.defaultInstance.parse(entry.getKey()),
						entry.getValue().strip()));
			}
			catch (PatternParseException ex) {
				throw new InvalidPropertyException(PREFIX + "cache-control", entry.getKey(),
						"it is not a valid path pattern (" + ex.getMessage() + ")",
						"Write '" + PREFIX + "cache-control' keys as Spring path patterns, such as [/books/**].");
			}
		}
		return List.copyOf(rules);
	}

	/**
	 * Reads {@code protevus.web.rate-limit.key}.
	 */
	static RateLimitKey rateLimitKey(@Nullable String value) {
		String key = (value != null) ? value.strip() : "";
		String lowerCase = key.toLowerCase(Locale.ROOT);
		if (lowerCase.equals("client-ip")) {
			return RateLimitKey.clientIp();
		}
		if (lowerCase.equals("principal")) {
			return RateLimitKey.principal();
		}
		if (lowerCase.startsWith(HEADER_PREFIX)) {
			String header = key.substring(HEADER_PREFIX.length()).strip();
			if (header.isEmpty() || header.chars().anyMatch((c) -> c <= ' ' || c >= 127 || c == ':')) {
				throw invalidKey(value, "'header:' must be followed by a header name");
			}
			return RateLimitKey.header(header);
		}
		throw invalidKey(value, "it must be client-ip, principal, or 'header:' followed by a header name");
	}

	private static InvalidPropertyException invalidKey(@Nullable String value, String reason) {
		return new InvalidPropertyException(RATE_LIMIT_KEY, value, reason, "Set '" + RATE_LIMIT_KEY
				+ "' to client-ip, to principal, or to 'header:' and a header name, such as header:X-Api-Key.");
	}

}
