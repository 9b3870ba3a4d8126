package dev.protevus.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.protevus.boot.autoconfigure.ConfigurationReference.Property;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails the build when the docs drift from the code: when
 * {@code docs/reference/configuration.md} does not describe every {@code protevus.*}
 * property exactly as the code does (run with {@code -Dprotevus.docs.update=true} to
 * rewrite the page), when a page names a {@code dev.protevus} type, member, package or
 * logger that does not exist, or when a Java sample does not show its imports.
 */
class ConfigurationReferenceTests {

	private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	// The actuator endpoints' keys, from the runtime's @Endpoint classes.
	private static final Path CORE_METADATA = Path
		.of("../protevus-core/target/classes/META-INF/spring-configuration-metadata.json");

	private static final Path PAGE = Path.of("../docs/reference/configuration.md");

	private static final DocsSources docs = new DocsSources(Path.of(".."));

	private static ConfigurationReference reference;

	@BeforeAll
	static void loadMetadata() throws IOException {
		reference = ConfigurationReference.load(METADATA, CORE_METADATA);
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

	@Test
	void everyProtevusNameInTheDocsExists() {
		assertThat(docs.pages())
			.allSatisfy((page, text) -> assertThat(DocsSources.names(text)).as("dev.protevus names in %s", page)
				.allSatisfy((name) -> assertThat(docs.exists(name)).as("%s in %s exists", name, page).isTrue()));
	}

	@Test
	void docsNameProtevusTypes() {
		assertThat(docs.pages().values().stream().flatMap((text) -> DocsSources.names(text).stream()))
			.contains("dev.protevus.boot.data.relation.Relations", "dev.protevus.boot.async.EventLoopLag#p99");
		assertThat(docs.exists("dev.protevus.boot.data.relation.Relation")).isFalse();
		assertThat(docs.exists("dev.protevus.boot.async.EventLoopLag#p95")).isFalse();
	}

	@Test
	void everyJavaSampleShowsItsImports() {
		assertThat(docs.pages())
			.allSatisfy((page, text) -> assertThat(DocsSources.javaSamples(text)).as("Java samples in %s", page)
				.allSatisfy((sample) -> {
					assertThat(sample).as("imports of the sample in %s:%n%s", page, sample).contains("import ");
					assertThat(docs.unimportedProtevusTypes(sample))
						.as("Protevus types used without import in %s:%n%s", page, sample)
						.isEmpty();
				}));
	}

}
