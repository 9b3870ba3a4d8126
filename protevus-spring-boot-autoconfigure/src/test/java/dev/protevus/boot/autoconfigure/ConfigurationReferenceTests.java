package dev.protevus.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.protevus.boot.autoconfigure.ConfigurationReference.Property;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails the build when {@code docs/reference/configuration.md} does not describe every
 * {@code protevus.*} property exactly as the code does. Run with
 * {@code -Dprotevus.docs.update=true} to rewrite the page.
 */
class ConfigurationReferenceTests {

	private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	private static final Path PAGE = Path.of("../docs/reference/configuration.md");

	private static ConfigurationReference reference;

	@BeforeAll
	static void loadMetadata() throws IOException {
		reference = ConfigurationReference.load(METADATA);
		if (Boolean.getBoolean("protevus.docs.update")) {
			Files.writeString(PAGE, reference.toMarkdown());
		}
	}

	@Test
	void metadataDescribesTheMasterSwitch() {
		assertThat(reference.properties()).extracting(Property::name).contains(ProtevusProperties.ENABLED);
	}

	@Test
	void everyHintNamesAnExistingProperty() {
		assertThat(reference.hints()).isNotEmpty()
			.allSatisfy((hint) -> assertThat(reference.properties()).extracting(Property::name)
				.as("property of hint %s", hint.name())
				.contains(hint.property()));
	}

	@Test
	void metadataDescribesProtevusHealthIndicatorSwitches() {
		assertThat(reference.properties()).extracting(Property::name).contains("management.health.r2dbc-pool.enabled");
	}

	@Test
	void everyProtevusPropertyHasADescription() {
		assertThat(reference.properties()).allSatisfy(
				(property) -> assertThat(property.description()).as("javadoc of %s", property.name()).isNotBlank());
	}

	@Test
	void referencePageListsEveryProtevusProperty() throws IOException {
		String page = Files.exists(PAGE) ? Files.readString(PAGE) : "";
		assertThat(reference.properties()).allSatisfy((property) -> assertThat(page)
			.as("%s is missing from %s; run %s", property.name(), PAGE, ConfigurationReference.UPDATE_COMMAND)
			.contains("`" + property.name() + "`"));
	}

	@Test
	void referencePageIsUpToDate() throws IOException {
		assertThat(Files.exists(PAGE) ? Files.readString(PAGE) : "")
			.as("%s is out of date; run %s", PAGE, ConfigurationReference.UPDATE_COMMAND)
			.isEqualTo(reference.toMarkdown());
	}

}
