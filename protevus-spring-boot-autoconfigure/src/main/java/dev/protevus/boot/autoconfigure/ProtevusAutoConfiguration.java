package dev.protevus.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Root of Protevus: binds the settings shared by every feature. Feature
 * auto-configurations live in their own packages and, like this one, back off when
 * {@code protevus.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnProtevusEnabled
@EnableConfigurationProperties(ProtevusProperties.class)
public class ProtevusAutoConfiguration {

}
