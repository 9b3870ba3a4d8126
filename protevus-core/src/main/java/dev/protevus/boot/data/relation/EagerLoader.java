package dev.protevus.boot.data.relation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;

import dev.protevus.boot.data.relation.RelationFetcher.Keyed;

/**
 * Loads the relations of a list of parents level by level, each relation with one
 * statement per chunk of keys whatever the number of parents. The levels run one after
 * the other, so that they share the subscriber's connection and transaction rather than
 * compete for the pool.
 */
final class EagerLoader {

	private final RelationRegistry registry;

	private final RelationFetcher fetcher;

	EagerLoader(RelationRegistry registry, RelationFetcher fetcher) {
		this.registry = registry;
		this.fetcher = fetcher;
	}

	/**
	 * Loads the relations of parents of one type.
	 * @param parents the parents
	 * @param paths the relations to load
	 * @return the parents, or their copies, with the relations set, in the same order
	 */
	Mono<List<Object>> load(List<Object> parents, RelationPaths paths) {
		if (parents.isEmpty() || paths.isEmpty()) {
			return Mono.just(parents);
		}
		Class<?> type = parents.get(0).getClass();
		for (Object parent : parents) {
			if (parent.getClass() != type) {
				return Mono.error(new IllegalArgumentException("Parents must be of one type but were " + type.getName()
						+ " and " + parent.getClass().getName()));
			}
		}
		return load(parents, type, paths);
	}

	private Mono<List<Object>> load(List<Object> parents, Class<?> type, RelationPaths paths) {
		Mono<List<Object>> loaded = Mono.just(parents);
		for (RelationPaths relation : paths.children()) {
			loaded = loaded.flatMap((current) -> loadRelation(current, type, relation));
		}
		return loaded;
	}

	private Mono<List<Object>> loadRelation(List<Object> parents, Class<?> type, RelationPaths path) {
		if (parents.isEmpty()) {
			return Mono.just(parents);
		}
		ResolvedRelation relation = this.registry.getRequiredRelation(type, path.name(), path.path());
		List<Object> keys = new ArrayList<>(parents.size());
		for (Object parent : parents) {
			keys.add(this.fetcher.parentKey(relation, parent));
		}
		Set<Object> distinctKeys = keys.stream()
			.filter(Objects::nonNull)
			.collect(Collectors.toCollection(LinkedHashSet::new));
		return this.fetcher.fetch(relation, distinctKeys).collectList().flatMap((fetched) -> {
			List<Object> targets = fetched.stream().map(Keyed::entity).toList();
			return load(targets, relation.target().getType(), path)
				.map((loaded) -> attach(relation, parents, keys, fetched, loaded));
		});
	}

	/**
	 * Sets on each parent the loaded entities of its key.
	 * @param fetched the fetched entities with their keys
	 * @param loaded the same entities, or their copies, with their own relations set
	 */
	private List<Object> attach(ResolvedRelation relation, List<Object> parents, List<Object> keys, List<Keyed> fetched,
			List<Object> loaded) {
		Map<Object, List<Object>> byKey = new HashMap<>();
		for (int i = 0; i < fetched.size(); i++) {
			byKey.computeIfAbsent(fetched.get(i).key(), (key) -> new ArrayList<>()).add(loaded.get(i));
		}
		List<Object> attached = new ArrayList<>(parents.size());
		for (int i = 0; i < parents.size(); i++) {
			Object key = keys.get(i);
			List<Object> related = (key != null) ? byKey.getOrDefault(key, List.of()) : List.of();
			attached.add(relation.attach(parents.get(i), related));
		}
		return attached;
	}

}
