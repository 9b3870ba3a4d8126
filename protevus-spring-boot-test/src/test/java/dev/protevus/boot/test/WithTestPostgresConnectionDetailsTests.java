package dev.protevus.boot.test;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test whose own properties point {@code spring.r2dbc.*} at a server that does not
 * exist still reaches {@link TestPostgres}: {@link WithTestPostgres} registers connection
 * details, which Boot prefers to the properties, and leaves the properties alone.
 */
@SpringBootTest(properties = { "spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:1/nowhere",
		"spring.r2dbc.username=nobody", "spring.r2dbc.password=wrong" })
@WithTestPostgres
class WithTestPostgresConnectionDetailsTests {

	@Autowired
	private DatabaseClient database;

	@Autowired
	private Environment environment;

	@Test
	void connectsToTheTestServerWhateverTheTestsPropertiesSay() {
		StepVerifier
			.create(this.database.sql("SELECT current_database() || ' ' || current_user || ' ' || inet_server_port()")
				.map((row) -> row.get(0, String.class))
				.one())
			.expectNext("postgres postgres " + TestPostgres.get().port())
			.verifyComplete();
	}

	@Test
	void registersConnectionDetailsAndLeavesTheTestsPropertiesAsTheyAre(
			@Autowired R2dbcConnectionDetails connectionDetails) {
		assertThat(connectionDetails).isInstanceOf(TestPostgresConnectionDetails.class);
		assertThat(this.environment.getProperty("spring.r2dbc.url"))
			.isEqualTo("r2dbc:postgresql://127.0.0.1:1/nowhere");
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ R2dbcAutoConfiguration.class, R2dbcDataAutoConfiguration.class })
	static class Config {

	}

}
