package dev.protevus.boot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings that apply to Protevus as a whole. Each feature has its own
 * {@code protevus.<feature>} properties.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(ProtevusProperties.PREFIX)
public class ProtevusProperties {

	/**
	 * Prefix of every Protevus property.
	 */
	public static final String PREFIX = "protevus";

	/**
	 * Name of the master switch.
	 */
	public static final String ENABLED = PREFIX + ".enabled";

	/**
	 * Whether to enable Protevus. When false, every Protevus auto-configuration backs off
	 * and the application runs on plain Spring Boot.
	 */
	private boolean enabled = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
