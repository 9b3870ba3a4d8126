package dev.protevus.boot.data.relation;

import java.util.List;

/**
 * Thrown when a relation path names no relation of the entity it reaches. Paths often
 * come from requests ({@code ?include=books.reviews}), so the exception lists the names
 * that would have been valid.
 *
 * @since 0.1.0
 */
public class UnknownRelationException extends IllegalArgumentException {

	private final Class<?> entityType;

	private final String path;

	private final String name;

	private final List<String> validNames;

	/**
	 * Creates a new exception.
	 * @param entityType the entity the path reached
	 * @param path the whole path, for example {@code books.revews}
	 * @param name the segment that names no relation, for example {@code revews}
	 * @param validNames the relations of {@code entityType}
	 */
	public UnknownRelationException(Class<?> entityType, String path, String name, List<String> validNames) {
		super(message(entityType, path, name, validNames));
		this.entityType = entityType;
		this.path = path;
		this.name = name;
		this.validNames = List.copyOf(validNames);
	}

	private static String message(Class<?> entityType, String path, String name, List<String> validNames) {
		String where = path.equals(name) ? "" : " (in path '" + path + "')";
		String valid = validNames.isEmpty() ? "it declares no relations"
				: "valid relations are " + String.join(", ", validNames);
		return "Unknown relation '" + name + "' of " + entityType.getName() + where + ": " + valid;
	}

	/**
	 * The entity whose relations were searched.
	 * @return the entity type
	 */
	public Class<?> getEntityType() {
		return this.entityType;
	}

	/**
	 * The path as requested.
	 * @return the whole path
	 */
	public String getPath() {
		return this.path;
	}

	/**
	 * The segment of the path that names no relation.
	 * @return the unknown name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * The relation names that {@link #getEntityType()} declares, sorted.
	 * @return the valid names, empty when the entity declares none
	 */
	public List<String> getValidNames() {
		return this.validNames;
	}

}
