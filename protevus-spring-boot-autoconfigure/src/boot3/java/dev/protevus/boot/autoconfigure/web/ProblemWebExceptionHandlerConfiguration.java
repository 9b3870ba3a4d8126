package dev.protevus.boot.autoconfigure.web;

import dev.protevus.boot.web.ProblemResponseWriter;
import dev.protevus.boot.web.ProblemWebExceptionHandler;
import dev.protevus.boot.web.Problems;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.reactive.error.ErrorAttributes;
import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The problem answer for every failed request in the place of Spring Boot's error
 * handler, unless the application has its own error handler or error attributes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "protevus.web.problems.enabled", matchIfMissing = true)
class ProblemWebExceptionHandlerConfiguration {

	@Bean
	@ConditionalOnMissingBean({ ErrorWebExceptionHandler.class, ErrorAttributes.class })
	ProblemWebExceptionHandler problemWebExceptionHandler(Problems problems, ProblemResponseWriter writer) {
		return new ProblemWebExceptionHandler(problems, writer);
	}

}
