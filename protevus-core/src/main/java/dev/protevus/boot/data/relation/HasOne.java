package dev.protevus.boot.data.relation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link org.springframework.data.annotation.Transient @Transient} property as
 * the entity whose {@link #foreignKey() foreign key} column holds this entity's id. When
 * several rows match, the one with the lowest id wins.
 *
 * @since 0.1.0
 * @see Relations
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface HasOne {

	/**
	 * The column of the target entity's table that holds this entity's id.
	 * @return the column name, for example {@code book_id}
	 */
	String foreignKey();

}
