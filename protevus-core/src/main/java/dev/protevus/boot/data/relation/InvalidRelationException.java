package dev.protevus.boot.data.relation;

/**
 * Thrown when a declared relation does not fit the mapping: a column that the target does
 * not map, a property that cannot hold or receive the related entities. It names the fix,
 * so that a failure analyzer can report it at start-up.
 *
 * @since 0.1.0
 * @see RelationRegistry#validate()
 */
public class InvalidRelationException extends RuntimeException {

	private final Class<?> entityType;

	private final String property;

	private final String reason;

	private final String action;

	/**
	 * Creates a new exception.
	 * @param entityType the entity that declares the relation
	 * @param property the relation's property
	 * @param reason what is wrong
	 * @param action how to fix it
	 */
	public InvalidRelationException(Class<?> entityType, String property, String reason, String action) {
		super("Relation '" + property + "' of " + entityType.getName() + " is invalid: " + reason);
		this.entityType = entityType;
		this.property = property;
		this.reason = reason;
		this.action = action;
	}

	/**
	 * The entity that declares the relation.
	 * @return the entity type
	 */
	public Class<?> getEntityType() {
		return this.entityType;
	}

	/**
	 * The relation's property, which is also its name in relation paths.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * What is wrong, without the entity and property.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * How to fix the declaration.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
