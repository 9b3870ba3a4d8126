package dev.protevus.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

/**
 * Reads Protevus's health contributors in the shared auto-configuration tests (in
 * {@code protevus-spring-boot-autoconfigure/src/test/java}) through Boot 4's health API;
 * the Boot 3.5 module's test tree has a class of the same name that uses Boot 3.5's.
 */
public final class BootHealth {

	private BootHealth() {
	}

	/**
	 * Asks a reactive health indicator for its health.
	 * @param indicator the indicator
	 * @return its status and details
	 */
	public static Checked check(Object indicator) {
		Health health = ((ReactiveHealthIndicator) indicator).health().block(Duration.ofSeconds(5));
		return new Checked(health.getStatus().getCode(), health.getDetails());
	}

	/**
	 * Whether a contributor is a composite of named contributors.
	 * @param contributor the contributor
	 * @return whether it is a composite
	 */
	public static boolean isComposite(Object contributor) {
		return contributor instanceof CompositeReactiveHealthContributor;
	}

	/**
	 * The names of a composite contributor's members, in order.
	 * @param composite the composite contributor
	 * @return the names
	 */
	public static List<String> names(Object composite) {
		List<String> names = new ArrayList<>();
		((CompositeReactiveHealthContributor) composite).forEach((entry) -> names.add(entry.name()));
		return names;
	}

	/**
	 * One member of a composite contributor.
	 * @param composite the composite contributor
	 * @param name the member's name
	 * @return the member
	 */
	public static Object member(Object composite, String name) {
		return ((CompositeReactiveHealthContributor) composite).getContributor(name);
	}

	/**
	 * A reactive health indicator that is always up.
	 * @return the indicator
	 */
	public static Object alwaysUp() {
		ReactiveHealthIndicator indicator = () -> Mono.just(Health.up().build());
		return indicator;
	}

	/**
	 * A health check's outcome.
	 *
	 * @param status the status code, such as {@code UP}
	 * @param details the details
	 */
	public record Checked(String status, Map<String, Object> details) {
	}

}
