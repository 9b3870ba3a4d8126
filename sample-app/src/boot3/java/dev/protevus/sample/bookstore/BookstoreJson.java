package dev.protevus.sample.bookstore;

import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sample's JSON rule on Spring Boot 3.5 (Jackson 2): a number or boolean where text
 * belongs is a 400, as a string where a number belongs already is
 * ({@code spring.jackson.mapper.allow-coercion-of-scalars=false}), never the text "5".
 * sample-app-boot4 has the same rule for Jackson 3.
 */
@Configuration(proxyBeanMethods = false)
class BookstoreJson {

	@Bean
	Jackson2ObjectMapperBuilderCustomizer textIsOnlyAJsonString() {
		return (builder) -> builder.postConfigurer((mapper) -> mapper.coercionConfigFor(LogicalType.Textual)
			.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
