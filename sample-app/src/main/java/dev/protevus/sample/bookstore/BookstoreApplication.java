package dev.protevus.sample.bookstore;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

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

}
