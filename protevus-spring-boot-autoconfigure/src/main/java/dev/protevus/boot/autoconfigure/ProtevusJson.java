package dev.protevus.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;

/**
 * What the JSON written to shared stores (cache tiers, job payloads) is written with: the
 * application's Jackson 2 {@link ObjectMapper}, so that its modules and settings apply,
 * and which classes it may read back.
 *
 * @since 0.1.0
 */
public final class ProtevusJson {

	private ProtevusJson() {
	}

	/**
	 * The application's {@link ObjectMapper}, or, where it has none (on Spring Boot 4,
	 * which configures Jackson 3's mapper, or without Boot's Jackson auto-configuration),
	 * one with every Jackson 2 module on the class path, such as the Java time types'.
	 * @param application the application's mapper, if any
	 * @return the mapper to copy
	 */
	public static ObjectMapper mapper(ObjectProvider<ObjectMapper> application) {
		return application.getIfAvailable(() -> JsonMapper.builder().findAndAddModules().build());
	}

	/**
	 * The packages whose classes may be read back: those configured, and the
	 * application's auto-configuration packages (its own classes).
	 * @param configured the packages the properties allow
	 * @param beanFactory the application's bean factory
	 * @return the allowed packages
	 */
	public static List<String> allowedPackages(List<String> configured, BeanFactory beanFactory) {
		List<String> allowed = new ArrayList<>(configured);
		if (AutoConfigurationPackages.has(beanFactory)) {
			allowed.addAll(AutoConfigurationPackages.get(beanFactory));
		}
		return allowed;
	}

}
