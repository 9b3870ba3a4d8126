package dev.protevus.sample.bookstore;

import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sample's JSON rule on Spring Boot 4 (Jackson 3): a number or boolean where text
 * belongs is a 400, as a string where a number belongs already is, never the text "5".
 * sample-app has the same rule for Jackson 2.
 */
@Configuration(proxyBeanMethods = false)
class BookstoreJson {

	@Bean
	JsonMapperBuilderCustomizer textIsOnlyAJsonString() {
		return (builder) -> builder.withCoercionConfig(LogicalType.Textual,
				(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
