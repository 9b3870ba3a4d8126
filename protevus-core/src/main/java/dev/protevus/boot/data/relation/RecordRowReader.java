package dev.protevus.boot.data.relation;

import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeanUtils;
import org.springframework.data.mapping.InstanceCreatorMetadata;
import org.springframework.data.mapping.PreferredConstructor;
import org.springframework.data.r2dbc.convert.R2dbcConverter;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;
import org.springframework.lang.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Reads rows of a simple record straight into its persistence constructor: every
 * persistent property a constructor parameter of a plain column type. Relations read
 * thousands of rows at once, and Spring Data's general mapping costs several times the
 * driver's own work per row. The first row is also read through the converter and the
 * results compared; if they differ (a custom conversion, a naming strategy the reader
 * does not know) the record is left to the converter for good.
 */
final class RecordRowReader {

	private static final Log logger = LogFactory.getLog(RecordRowReader.class);

	private static final Set<Class<?>> COLUMN_TYPES = Set.of(String.class, Long.class, Integer.class, Short.class,
			Byte.class, Boolean.class, Double.class, Float.class, BigDecimal.class, BigInteger.class, UUID.class,
			LocalDate.class, LocalDateTime.class, LocalTime.class, OffsetDateTime.class, ZonedDateTime.class,
			Instant.class, byte[].class);

	private final Class<?> type;

	private final Constructor<?> constructor;

	private final String[] columns;

	private final Class<?>[] columnTypes;

	private final boolean[] primitive;

	private volatile boolean verified;

	private volatile boolean disabled;

	/**
	 * The columns' positions in the last result read: a driver finds a column by name
	 * with a lookup per column and row, by position with none.
	 */
	@Nullable
	private volatile Positions positions;

	private RecordRowReader(Class<?> type, Constructor<?> constructor, String[] columns, Class<?>[] columnTypes,
			boolean[] primitive) {
		this.type = type;
		this.constructor = constructor;
		this.columns = columns;
		this.columnTypes = columnTypes;
		this.primitive = primitive;
	}

	/**
	 * A reader for an entity, or {@code null} when it is not a record the reader can
	 * build.
	 */
	@Nullable
	static RecordRowReader of(RelationalPersistentEntity<?> entity) {
		Class<?> type = entity.getType();
		InstanceCreatorMetadata<RelationalPersistentProperty> creator = entity.getInstanceCreatorMetadata();
		if (!type.isRecord() || !(creator instanceof PreferredConstructor<?, ?> preferred)) {
			return null;
		}
		Constructor<?> constructor = preferred.getConstructor();
		Parameter[] parameters = constructor.getParameters();
		int persistent = 0;
		for (RelationalPersistentProperty ignored : entity) {
			persistent++;
		}
		if (parameters.length != persistent) {
			return null;
		}
		String[] columns = new String[parameters.length];
		Class<?>[] columnTypes = new Class<?>[parameters.length];
		boolean[] primitive = new boolean[parameters.length];
		for (int i = 0; i < parameters.length; i++) {
			RelationalPersistentProperty property = entity.getPersistentProperty(parameters[i].getName());
			Class<?> columnType = ClassUtils.resolvePrimitiveIfNecessary(parameters[i].getType());
			if (property == null || !parameters[i].isNamePresent() || property.isEmbedded()
					|| !COLUMN_TYPES.contains(columnType)) {
				return null;
			}
			columns[i] = property.getColumnName().getReference();
			columnTypes[i] = columnType;
			primitive[i] = parameters[i].getType().isPrimitive();
		}
		return new RecordRowReader(type, constructor, columns, columnTypes, primitive);
	}

	/**
	 * Reads a row, through the converter while the reader has not proved itself or has
	 * failed.
	 */
	Object read(Row row, RowMetadata metadata, R2dbcConverter converter) {
		if (this.verified) {
			return readFast(row, positions(metadata));
		}
		Object expected = converter.read(this.type, row, metadata);
		if (!this.disabled) {
			Object actual = null;
			try {
				actual = readFast(row, positions(metadata));
			}
			catch (RuntimeException ex) {
				// Falls through: the converter reads this record from now on.
			}
			if (Objects.equals(expected, actual)) {
				this.verified = true;
			}
			else {
				this.disabled = true;
				logger.debug("Relations read " + this.type.getName() + " through Spring Data's converter");
			}
		}
		return expected;
	}

	private Object readFast(Row row, int[] positions) {
		Object[] arguments = new Object[this.columns.length];
		for (int i = 0; i < arguments.length; i++) {
			Object value = (positions[i] >= 0) ? row.get(positions[i], this.columnTypes[i])
					: row.get(this.columns[i], this.columnTypes[i]);
			if (value == null && this.primitive[i]) {
				throw new IllegalStateException("Column " + this.columns[i] + " is null for a primitive");
			}
			arguments[i] = value;
		}
		return BeanUtils.instantiateClass(this.constructor, arguments);
	}

	/**
	 * Each column's position in a result, -1 for a column that the result's metadata does
	 * not name (read by name then, so that the driver reports it); found once per result,
	 * whose rows share its metadata.
	 */
	private int[] positions(RowMetadata metadata) {
		Positions last = this.positions;
		if (last != null && last.metadata == metadata) {
			return last.positions;
		}
		List<? extends ColumnMetadata> names = metadata.getColumnMetadatas();
		int[] positions = new int[this.columns.length];
		for (int i = 0; i < positions.length; i++) {
			positions[i] = -1;
			for (int position = 0; position < names.size(); position++) {
				if (names.get(position).getName().equalsIgnoreCase(this.columns[i])) {
					positions[i] = position;
					break;
				}
			}
		}
		this.positions = new Positions(metadata, positions);
		return positions;
	}

	private record Positions(RowMetadata metadata, int[] positions) {
	}

}
