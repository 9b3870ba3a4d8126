package dev.protevus.sample.bookstore;

import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * A small bookstore served by WebFlux over R2DBC, built with nothing but the Protevus
 * starter, a validation starter and database drivers.
 */
@SpringBootApplication
@EnableCaching
public class BookstoreApplication {

	public static void main(String[] args) {
		SpringApplication.run(BookstoreApplication.class, args);
	}

	/**
	 * A number or boolean where text belongs is a 400, as a string where a number belongs
	 * already is ({@code spring.jackson.mapper.allow-coercion-of-scalars=false}), never
	 * the text "5".
	 */
	@Bean
	Jackson2ObjectMapperBuilderCustomizer textIsOnlyAJsonString() {
		return (builder) -> builder.postConfigurer((mapper) -> mapper.coercionConfigFor(LogicalType.Textual)
			.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
