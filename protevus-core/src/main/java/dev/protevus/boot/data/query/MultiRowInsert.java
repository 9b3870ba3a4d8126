package dev.protevus.boot.data.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.data.r2dbc.core.ReactiveDataAccessStrategy;
import org.springframework.data.r2dbc.mapping.OutboundRow;
import org.springframework.data.relational.core.sql.SqlIdentifier;
import org.springframework.lang.Nullable;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.r2dbc.core.PreparedOperation;
import org.springframework.r2dbc.core.binding.BindMarker;
import org.springframework.r2dbc.core.binding.BindMarkers;
import org.springframework.r2dbc.core.binding.BindMarkersFactory;
import org.springframework.r2dbc.core.binding.BindTarget;

/**
 * One {@code INSERT INTO t (a, b) VALUES (?, ?), (?, ?), …} for many rows, with the
 * dialect's bind markers. A missing value is written as {@code DEFAULT}, which lets the
 * database generate ids and apply column defaults just as Spring Data does by leaving
 * such columns out of a single-row insert, while every row keeps the same column list.
 */
final class MultiRowInsert implements PreparedOperation<String> {

	private final String sql;

	private final List<Binding> bindings;

	private MultiRowInsert(String sql, List<Binding> bindings) {
		this.sql = sql;
		this.bindings = bindings;
	}

	/**
	 * Renders the insert of rows that all have the same columns.
	 * @param idColumn the id column, whose zero values also mean "generate one", or
	 * {@code null} when the entity has no id
	 */
	static MultiRowInsert of(ReactiveDataAccessStrategy strategy, BindMarkersFactory markersFactory,
			SqlIdentifier table, List<OutboundRow> rows, @Nullable SqlIdentifier idColumn) {
		Set<SqlIdentifier> columns = rows.get(0).keySet();
		StringBuilder sql = new StringBuilder("INSERT INTO ").append(strategy.toSql(table)).append(" (");
		sql.append(String.join(", ", columns.stream().map(strategy::toSql).toList())).append(") VALUES ");
		BindMarkers markers = markersFactory.create();
		List<Binding> bindings = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++) {
			OutboundRow row = rows.get(i);
			if (!row.keySet().equals(columns)) {
				throw new IllegalArgumentException(
						"Cannot insert rows with different columns in one statement: %s and %s".formatted(columns,
								row.keySet()));
			}
			sql.append((i > 0) ? ", (" : "(");
			int column = 0;
			for (SqlIdentifier name : columns) {
				sql.append((column++ > 0) ? ", " : "");
				Parameter value = row.get(name);
				if (isMissing(value, name.equals(idColumn))) {
					sql.append("DEFAULT");
				}
				else {
					BindMarker marker = markers.next();
					sql.append(marker.getPlaceholder());
					bindings.add(new Binding(marker, strategy.getBindValue(value).getValue()));
				}
			}
			sql.append(')');
		}
		return new MultiRowInsert(sql.toString(), List.copyOf(bindings));
	}

	private static boolean isMissing(@Nullable Parameter value, boolean id) {
		if (value == null || !value.hasValue()) {
			return true;
		}
		// A primitive id cannot be null, so Spring Data reads zero as "not assigned yet".
		return id && value.getValue() instanceof Number number && number.longValue() == 0L;
	}

	@Override
	public String getSource() {
		return this.sql;
	}

	@Override
	public void bindTo(BindTarget target) {
		for (Binding binding : this.bindings) {
			binding.marker().bind(target, binding.value());
		}
	}

	@Override
	public String toQuery() {
		return this.sql;
	}

	private record Binding(BindMarker marker, Object value) {

	}

}
