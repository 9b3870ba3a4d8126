package dev.protevus.boot.data.query;

/**
 * Projections on H2, in memory.
 */
class H2ProjectionTests extends AbstractProjectionTests {

	H2ProjectionTests() {
		super(TestDatabase::h2);
	}

}
