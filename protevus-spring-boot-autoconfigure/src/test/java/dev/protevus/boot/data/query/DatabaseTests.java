package dev.protevus.boot.data.query;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;

/**
 * Base of the tests that run once on H2 and once on PostgreSQL: each subclass names its
 * database, which lives as long as the test class.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class DatabaseTests {

	private final Supplier<TestDatabase> databaseFactory;

	private TestDatabase database;

	DatabaseTests(Supplier<TestDatabase> databaseFactory) {
		this.databaseFactory = databaseFactory;
	}

	@BeforeAll
	void openDatabase() {
		this.database = this.databaseFactory.get();
	}

	@AfterAll
	void closeDatabase() {
		this.database.close();
	}

	TestDatabase database() {
		return this.database;
	}

	R2dbcEntityTemplate template() {
		return this.database.template();
	}

	/**
	 * The columns a {@code SELECT} reads, without table prefixes, in lower case (H2
	 * upper-cases unquoted names).
	 */
	static List<String> selectedColumns(String sql) {
		String select = sql.substring("SELECT ".length(), sql.indexOf(" FROM "));
		return Arrays.stream(select.split(","))
			.map(String::trim)
			.map((column) -> column.substring(column.indexOf('.') + 1).toLowerCase(Locale.ROOT))
			.toList();
	}

}
