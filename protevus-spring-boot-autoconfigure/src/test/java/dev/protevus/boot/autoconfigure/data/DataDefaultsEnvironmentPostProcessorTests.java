package dev.protevus.boot.autoconfigure.data;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class DataDefaultsEnvironmentPostProcessorTests {

	private final DataDefaultsEnvironmentPostProcessor postProcessor = new DataDefaultsEnvironmentPostProcessor();

	@Test
	void boundsTheAcquireTimeAndSizesThePoolFromTheCpuCount() {
		MockEnvironment environment = new MockEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.r2dbc.pool.max-acquire-time")).isEqualTo("5s");
		assertThat(environment.getProperty("spring.r2dbc.pool.acquire-retry")).isEqualTo("0");
		assertThat(environment.getProperty("spring.r2dbc.pool.max-size", Integer.class))
			.isEqualTo(Math.max(10, 4 * Runtime.getRuntime().availableProcessors()));
		assertThat(environment.getProperty("protevus.data.n-plus-one")).isNull();
	}

	@Test
	void applicationSettingsWin() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.r2dbc.pool.max-acquire-time", "1s")
			.withProperty("spring.r2dbc.pool.max-size", "3")
			.withProperty("spring.r2dbc.pool.acquire-retry", "2");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.r2dbc.pool.max-acquire-time")).isEqualTo("1s");
		assertThat(environment.getProperty("spring.r2dbc.pool.acquire-retry")).isEqualTo("2");
		assertThat(environment.getProperty("spring.r2dbc.pool.max-size")).isEqualTo("3");
	}

	@Test
	void warnsAboutNPlusOneQueriesWhenDevtoolsIsActive() {
		MockEnvironment environment = new MockEnvironment();
		environment.getPropertySources()
			.addLast(new MapPropertySource("devtools", Map.of("spring.thymeleaf.cache", "false")));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("protevus.data.n-plus-one")).isEqualTo("warn");
	}

	@Test
	void doesNothingWhenProtevusIsDisabled() {
		MockEnvironment environment = new MockEnvironment().withProperty("protevus.enabled", "false");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(DataDefaultsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
	}

}
