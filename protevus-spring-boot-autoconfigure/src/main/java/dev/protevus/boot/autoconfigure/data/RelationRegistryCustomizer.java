package dev.protevus.boot.autoconfigure.data;

import dev.protevus.boot.data.relation.RelationRegistry;

/**
 * Declares relations in code, for entities that cannot carry the relation annotations.
 * Applied in {@link org.springframework.core.annotation.Order} order before the
 * declarations are validated at start-up.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RelationRegistryCustomizer {

	/**
	 * Registers relations.
	 * @param registry the registry, already holding the annotated relations
	 */
	void customize(RelationRegistry registry);

}
