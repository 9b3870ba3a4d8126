package dev.protevus.boot.data.query;

/**
 * Batch inserts on the embedded PostgreSQL.
 */
class PostgresBatchInsertTests extends AbstractBatchInsertTests {

	PostgresBatchInsertTests() {
		super(TestDatabase::postgres);
	}

}
