package dev.protevus.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Renders {@code docs/reference/configuration.md} from the metadata that the
 * configuration processor writes for this module, so the property reference cannot drift
 * from the code.
 */
final class ConfigurationReference {

	static final String UPDATE_COMMAND = "./mvnw verify -Dprotevus.docs.update=true";

	private final List<Property> properties;

	private final List<Hint> hints;

	private ConfigurationReference(List<Property> properties, List<Hint> hints) {
		this.properties = properties;
		this.hints = hints;
	}

	static ConfigurationReference load(Path... metadata) throws IOException {
		List<Property> properties = new ArrayList<>();
		List<Hint> hints = new ArrayList<>();
		for (Path file : metadata) {
			JsonNode root = new ObjectMapper().readTree(file.toFile());
			for (JsonNode node : root.path("properties")) {
				String name = node.path("name").asText();
				// Protevus's own keys, and the management.* keys of Protevus's health
				// indicators and endpoints.
				if (name.startsWith(ProtevusProperties.PREFIX + ".") || name.startsWith("management.")) {
					properties.add(new Property(name, simpleType(node.path("type").asText()),
							defaultValue(node.path("defaultValue")), node.path("description").asText("").strip()));
				}
			}
			for (JsonNode node : root.path("hints")) {
				List<String> values = new ArrayList<>();
				node.path("values").forEach((value) -> values.add(value.path("value").asText()));
				hints.add(new Hint(node.path("name").asText(), List.copyOf(values)));
			}
		}
		properties.sort(Comparator.comparing(Property::name));
		hints.sort(Comparator.comparing(Hint::name));
		return new ConfigurationReference(List.copyOf(properties), List.copyOf(hints));
	}

	List<Property> properties() {
		return this.properties;
	}

	List<Hint> hints() {
		return this.hints;
	}

	/**
	 * The suggested values of a property, from the hints of its name or of its map keys.
	 */
	private List<String> valuesOf(String property) {
		return this.hints.stream()
			.filter((hint) -> hint.property().equals(property))
			.flatMap((hint) -> hint.values().stream())
			.toList();
	}

	String toMarkdown() {
		StringBuilder markdown = new StringBuilder();
		markdown.append("# Configuration reference\n\n");
		markdown.append("<!-- Generated from spring-configuration-metadata.json by ConfigurationReferenceTests. ")
			.append("Do not edit: change the javadoc of the property and run `")
			.append(UPDATE_COMMAND)
			.append("`. -->\n\n");
		markdown.append("Every `protevus.*` property, with its type, default and meaning. ")
			.append("Your IDE shows the same text when you edit `application.yml`.\n\n");
		markdown.append("| Property | Type | Default | Values | Description |\n");
		markdown.append("| --- | --- | --- | --- | --- |\n");
		for (Property property : this.properties) {
			markdown.append("| `")
				.append(property.name())
				.append("` | `")
				.append(property.type())
				.append("` | ")
				.append(property.defaultValue().isEmpty() ? "" : "`" + property.defaultValue() + "`")
				.append(" | ")
				.append(valuesOf(property.name()).stream()
					.map((value) -> "`" + value + "`")
					.collect(Collectors.joining(", ")))
				.append(" | ")
				.append(cell(property.description()))
				.append(" |\n");
		}
		return markdown.toString();
	}

	private static String simpleType(String type) {
		return type.replaceAll("(?:[a-z_][a-z0-9_]*\\.)+([A-Z])", "$1").replaceAll("[A-Za-z0-9_]+\\$", "");
	}

	private static String defaultValue(JsonNode node) {
		if (node.isMissingNode() || node.isNull()) {
			return "";
		}
		if (node.isArray()) {
			return StreamSupport.stream(node.spliterator(), false)
				.map(JsonNode::asText)
				.collect(Collectors.joining(", "));
		}
		return node.asText();
	}

	private static String cell(String text) {
		return text.replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ");
	}

	record Property(String name, String type, String defaultValue, String description) {
	}

	/**
	 * Suggested values of a property, or of its map's keys ({@code .keys}) or values
	 * ({@code .values}).
	 */
	record Hint(String name, List<String> values) {

		String property() {
			return this.name.replaceAll("\\.(keys|values)$", "");
		}

	}

}
