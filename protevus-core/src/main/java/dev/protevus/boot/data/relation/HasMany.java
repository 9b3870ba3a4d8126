package dev.protevus.boot.data.relation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code List}, {@code Set} or {@code Collection} property as the entities whose
 * {@link #foreignKey() foreign key} column holds this entity's id. The property must also
 * be {@link org.springframework.data.annotation.Transient @Transient}, since Spring Data
 * R2DBC would otherwise map it to a column.
 *
 * @since 0.1.0
 * @see Relations
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface HasMany {

	/**
	 * The column of the target entity's table that holds this entity's id.
	 * @return the column name, for example {@code author_id}
	 */
	String foreignKey();

}
