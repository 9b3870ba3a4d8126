package dev.protevus.boot.data.relation;

import java.util.concurrent.atomic.AtomicInteger;

import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * {@link Relations} on an in-memory H2 database, whose dialect binds one marker per key.
 */
class H2RelationsTests extends RelationsTests {

	private static final AtomicInteger DATABASES = new AtomicInteger();

	private final String url = "r2dbc:h2:mem:///relations" + DATABASES.incrementAndGet() + "?options=DB_CLOSE_DELAY=-1";

	@Override
	ConnectionFactoryOptions connectionOptions() {
		return ConnectionFactoryOptions.parse(this.url);
	}

	@Override
	String keyCondition() {
		return "IN (";
	}

	@Override
	int statementsFor(int keys, int chunkSize) {
		return (keys + chunkSize - 1) / chunkSize;
	}

}
