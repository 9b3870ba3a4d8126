package dev.protevus.boot.data.relation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code List}, {@code Set} or {@code Collection} property as the entities linked
 * to this one through a join table, which needs no entity of its own. The property must
 * also be {@link org.springframework.data.annotation.Transient @Transient}.
 *
 * @since 0.1.0
 * @see Relations
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ManyToMany {

	/**
	 * The join table, named as the database expects it.
	 * @return the table name, for example {@code book_tags}
	 */
	String joinTable();

	/**
	 * The join table's column that holds this entity's id.
	 * @return the column name, for example {@code book_id}
	 */
	String joinColumn();

	/**
	 * The join table's column that holds the target entity's id.
	 * @return the column name, for example {@code tag_id}
	 */
	String inverseJoinColumn();

}
