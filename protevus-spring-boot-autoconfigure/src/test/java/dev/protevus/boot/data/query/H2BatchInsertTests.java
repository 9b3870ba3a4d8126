package dev.protevus.boot.data.query;

/**
 * Batch inserts on H2, in memory.
 */
class H2BatchInsertTests extends AbstractBatchInsertTests {

	H2BatchInsertTests() {
		super(TestDatabase::h2);
	}

}
