package dev.protevus.boot.data.relation;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.StringJoiner;

import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import reactor.core.publisher.Flux;

import org.springframework.core.convert.ConversionService;
import org.springframework.data.r2dbc.convert.R2dbcConverter;
import org.springframework.data.r2dbc.dialect.PostgresDialect;
import org.springframework.data.r2dbc.dialect.R2dbcDialect;
import org.springframework.data.relational.core.sql.IdentifierProcessing;
import org.springframework.data.relational.core.sql.SqlIdentifier;
import org.springframework.lang.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.r2dbc.core.binding.BindMarker;
import org.springframework.r2dbc.core.binding.BindMarkers;
import org.springframework.r2dbc.core.binding.BindTarget;

/**
 * Runs the statements that load a relation for many keys at once: on PostgreSQL one
 * statement with {@code = ANY(…)} and all keys in one array parameter, so that neither
 * the statement text nor the number of statements changes with the number of keys;
 * elsewhere one statement per chunk of keys with {@code IN (…)} and a bind marker per
 * key, since databases limit how many markers a statement may have.
 */
final class RelationFetcher {

	/**
	 * The column that carries the join table's key next to a {@code @ManyToMany} target's
	 * columns.
	 */
	private static final String KEY_ALIAS = "protevus_relation_key";

	private final DatabaseClient client;

	private final R2dbcConverter converter;

	private final R2dbcDialect dialect;

	private final boolean arrayParameter;

	private final int chunkSize;

	private final Map<Class<?>, Optional<RecordRowReader>> readers = new ConcurrentHashMap<>();

	RelationFetcher(DatabaseClient client, R2dbcConverter converter, R2dbcDialect dialect, int chunkSize) {
		this.client = client;
		this.converter = converter;
		this.dialect = dialect;
		this.arrayParameter = dialect instanceof PostgresDialect;
		this.chunkSize = chunkSize;
	}

	/**
	 * A parent's key, converted to the relation's key type.
	 * @return the key, or {@code null} when the parent has none and so no related
	 * entities
	 */
	@Nullable
	Object parentKey(ResolvedRelation relation, Object parent) {
		return normalize(relation.parentKey(parent), relation.keyType());
	}

	/**
	 * Loads the related entities of distinct, non-null keys.
	 * @param relation the relation
	 * @param keys the keys, of the relation's key type
	 * @return each loaded entity with the key it belongs to, in order of the target's id
	 * within a key; nothing, and no statement, when there are no keys
	 */
	Flux<Keyed> fetch(ResolvedRelation relation, Collection<?> keys) {
		List<?> all = List.copyOf(keys);
		int chunkSize = this.arrayParameter ? Math.max(1, all.size()) : this.chunkSize;
		int chunks = (all.size() + chunkSize - 1) / chunkSize;
		return Flux.range(0, chunks)
			.concatMap((chunk) -> query(relation,
					all.subList(chunk * chunkSize, Math.min(all.size(), (chunk + 1) * chunkSize))));
	}

	private Flux<Keyed> query(ResolvedRelation relation, List<?> keys) {
		BindMarkers markers = this.dialect.getBindMarkersFactory().create();
		List<BindMarker> bindMarkers = new ArrayList<>();
		List<Object> values = new ArrayList<>();
		String condition;
		if (this.arrayParameter) {
			BindMarker marker = markers.next("keys");
			bindMarkers.add(marker);
			values.add(toArray(keys));
			condition = "= ANY(" + marker.getPlaceholder() + ")";
		}
		else {
			StringJoiner placeholders = new StringJoiner(", ", "IN (", ")");
			for (Object key : keys) {
				BindMarker marker = markers.next("key");
				bindMarkers.add(marker);
				values.add(bindValue(key));
				placeholders.add(marker.getPlaceholder());
			}
			condition = placeholders.toString();
		}
		SpecBinder binder = new SpecBinder(this.client.sql(sql(relation, condition)));
		for (int i = 0; i < bindMarkers.size(); i++) {
			bindMarkers.get(i).bind(binder, values.get(i));
		}
		return binder.spec.map((row, metadata) -> read(relation, row, metadata)).all();
	}

	private String sql(ResolvedRelation relation, String condition) {
		String table = render(relation.target().getQualifiedTableName());
		String id = render(relation.target().getIdColumn());
		if (relation.kind() != RelationKind.MANY_TO_MANY) {
			return "SELECT * FROM " + table + " WHERE " + render(relation.targetKeyColumn()) + " " + condition
					+ " ORDER BY " + id;
		}
		String joinColumn = render(relation.joinColumn());
		return "SELECT t.*, j." + joinColumn + " AS " + KEY_ALIAS + " FROM " + table + " t JOIN "
				+ render(relation.joinTable()) + " j ON j." + render(relation.inverseJoinColumn()) + " = t." + id
				+ " WHERE j." + joinColumn + " " + condition + " ORDER BY t." + id;
	}

	private String render(SqlIdentifier identifier) {
		IdentifierProcessing processing = this.dialect.getIdentifierProcessing();
		return identifier.toSql(processing);
	}

	private Keyed read(ResolvedRelation relation, Row row, RowMetadata metadata) {
		RecordRowReader reader = this.readers
			.computeIfAbsent(relation.target().getType(),
					(type) -> Optional.ofNullable(RecordRowReader.of(relation.target())))
			.orElse(null);
		Object loaded = (reader != null) ? reader.read(row, metadata, this.converter)
				: this.converter.read(relation.target().getType(), row, metadata);
		Object key = (relation.kind() != RelationKind.MANY_TO_MANY) ? relation.targetKey(loaded) : row.get(KEY_ALIAS);
		return new Keyed(normalize(key, relation.keyType()), loaded);
	}

	/**
	 * Converts a key so that both sides of a relation compare equal, for example an
	 * {@code Integer} foreign key against a {@code Long} id.
	 */
	@Nullable
	private Object normalize(@Nullable Object key, Class<?> type) {
		if (key == null || type.isInstance(key)) {
			return key;
		}
		ConversionService conversionService = this.converter.getConversionService();
		return conversionService.convert(key, type);
	}

	private Object bindValue(Object key) {
		// The write target and the conversion service rather than writeValue, whose
		// TypeInformation parameter moved package in Spring Data 4: this class runs on
		// both.
		Class<?> target = this.converter.getTargetType(key.getClass());
		if (target == key.getClass()) {
			return key;
		}
		Object value = this.converter.getConversionService().convert(key, target);
		return (value != null) ? value : key;
	}

	private Object toArray(List<?> keys) {
		List<Object> values = keys.stream().map(this::bindValue).toList();
		Class<?> elementType = values.get(0).getClass();
		for (Object value : values) {
			if (value.getClass() != elementType) {
				elementType = Object.class;
			}
		}
		return values.toArray((Object[]) Array.newInstance(elementType, 0));
	}

	/**
	 * A loaded entity and the key of the parent it belongs to.
	 */
	record Keyed(Object key, Object entity) {
	}

	/**
	 * Lets the dialect's bind markers bind to a statement of the {@link DatabaseClient},
	 * by index or by name as the markers require.
	 */
	private static final class SpecBinder implements BindTarget {

		private GenericExecuteSpec spec;

		SpecBinder(GenericExecuteSpec spec) {
			this.spec = spec;
		}

		@Override
		public void bind(String identifier, Object value) {
			this.spec = this.spec.bind(identifier, value);
		}

		@Override
		public void bind(int index, Object value) {
			this.spec = this.spec.bind(index, value);
		}

		@Override
		public void bindNull(String identifier, Class<?> type) {
			this.spec = this.spec.bindNull(identifier, type);
		}

		@Override
		public void bindNull(int index, Class<?> type) {
			this.spec = this.spec.bindNull(index, type);
		}

	}

}
