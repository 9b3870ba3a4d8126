package dev.protevus.boot.data.relation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link org.springframework.data.annotation.Transient @Transient} property as
 * the entity whose id this entity's {@link #foreignKey() foreign key} column holds: the
 * inverse of {@link HasMany} and {@link HasOne}.
 *
 * @since 0.1.0
 * @see Relations
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface BelongsTo {

	/**
	 * The column of this entity's table that holds the target's id; it must be mapped by
	 * a property of this entity.
	 * @return the column name, for example {@code author_id}
	 */
	String foreignKey();

}
