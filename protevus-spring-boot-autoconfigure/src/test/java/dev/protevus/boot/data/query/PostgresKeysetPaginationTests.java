package dev.protevus.boot.data.query;

/**
 * Keyset pagination on the embedded PostgreSQL.
 */
class PostgresKeysetPaginationTests extends AbstractKeysetPaginationTests {

	PostgresKeysetPaginationTests() {
		super(TestDatabase::postgres);
	}

}
