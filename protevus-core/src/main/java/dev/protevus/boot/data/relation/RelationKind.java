package dev.protevus.boot.data.relation;

/**
 * The kinds of relation, named after the annotations that declare them.
 */
enum RelationKind {

	HAS_MANY("@HasMany", true),

	HAS_ONE("@HasOne", false),

	BELONGS_TO("@BelongsTo", false),

	MANY_TO_MANY("@ManyToMany", true);

	private final String annotation;

	private final boolean toMany;

	RelationKind(String annotation, boolean toMany) {
		this.annotation = annotation;
		this.toMany = toMany;
	}

	String annotation() {
		return this.annotation;
	}

	/**
	 * Whether the property holds a collection rather than a single entity.
	 */
	boolean isToMany() {
		return this.toMany;
	}

}
