package dev.protevus.boot.data.query;

/**
 * Projections on the embedded PostgreSQL.
 */
class PostgresProjectionTests extends AbstractProjectionTests {

	PostgresProjectionTests() {
		super(TestDatabase::postgres);
	}

}
