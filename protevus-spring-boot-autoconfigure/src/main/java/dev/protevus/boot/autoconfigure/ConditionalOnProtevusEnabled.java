package dev.protevus.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Matches unless {@code protevus.enabled} is {@code false}. Every Protevus
 * auto-configuration carries it, so that one property switches all of Protevus off.
 *
 * @since 0.1.0
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnBooleanProperty(name = ProtevusProperties.ENABLED, matchIfMissing = true)
public @interface ConditionalOnProtevusEnabled {

}
