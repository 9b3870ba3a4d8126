package dev.protevus.boot.data.relation;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Relation paths such as {@code books} and {@code books.reviews} merged into a tree, so
 * that a shared prefix is loaded once and a nested path implies its prefix.
 */
final class RelationPaths {

	private final String path;

	private final String name;

	private final Map<String, RelationPaths> children = new LinkedHashMap<>();

	private RelationPaths(String path, String name) {
		this.path = path;
		this.name = name;
	}

	/**
	 * Parses paths into the tree of relations to load from a root entity.
	 * @param paths dot-separated relation names
	 * @return the root, whose children are the root entity's relations
	 * @throws IllegalArgumentException when a path or one of its segments is empty
	 */
	static RelationPaths parse(String... paths) {
		Assert.notNull(paths, "paths must not be null");
		RelationPaths root = new RelationPaths("", "");
		for (String path : paths) {
			Assert.isTrue(StringUtils.hasText(path), "Relation paths must not be empty");
			RelationPaths node = root;
			for (String name : path.split("\\.", -1)) {
				String segment = name.trim();
				Assert.isTrue(!segment.isEmpty(), () -> "Relation path '" + path + "' has an empty segment");
				String prefix = node.path.isEmpty() ? segment : node.path + "." + segment;
				node = node.children.computeIfAbsent(segment, (key) -> new RelationPaths(prefix, key));
			}
		}
		return root;
	}

	/**
	 * The path from the root to this relation.
	 */
	String path() {
		return this.path;
	}

	/**
	 * The relation's name on its parent entity.
	 */
	String name() {
		return this.name;
	}

	/**
	 * The relations to load on the entities this relation loads.
	 */
	Collection<RelationPaths> children() {
		return this.children.values();
	}

	boolean isEmpty() {
		return this.children.isEmpty();
	}

}
