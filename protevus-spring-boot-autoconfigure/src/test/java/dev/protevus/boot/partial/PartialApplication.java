package dev.protevus.boot.partial;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.EnableCaching;

/**
 * A service as a new user writes it: the starter's auto-configuration and whatever the
 * class path holds, no exclusions. In a package of its own, so that its
 * auto-configuration package holds no other test's entities or repositories; it scans no
 * components.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableCaching
public class PartialApplication {

	public static void main(String[] args) {
		SpringApplication.run(PartialApplication.class, args);
	}

}
