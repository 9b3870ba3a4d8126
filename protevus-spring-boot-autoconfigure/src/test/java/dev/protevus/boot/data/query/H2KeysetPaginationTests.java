package dev.protevus.boot.data.query;

/**
 * Keyset pagination on H2, in memory.
 */
class H2KeysetPaginationTests extends AbstractKeysetPaginationTests {

	H2KeysetPaginationTests() {
		super(TestDatabase::h2);
	}

}
