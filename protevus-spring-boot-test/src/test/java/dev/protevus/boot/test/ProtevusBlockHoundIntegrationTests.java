package dev.protevus.boot.test;

import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import reactor.blockhound.integration.BlockHoundIntegration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allowances themselves are exercised where BlockHound is installed, by the sample's
 * tests.
 */
class ProtevusBlockHoundIntegrationTests {

	@Test
	void blockHoundFindsTheIntegrationOnTheClassPath() {
		assertThat(ServiceLoader.load(BlockHoundIntegration.class).stream().map(ServiceLoader.Provider::type))
			.contains(ProtevusBlockHoundIntegration.class);
	}

}
