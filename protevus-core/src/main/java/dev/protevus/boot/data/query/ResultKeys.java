package dev.protevus.boot.data.query;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.util.function.Function;

import org.springframework.beans.BeanUtils;
import org.springframework.data.domain.Sort;
import org.springframework.data.mapping.context.MappingContext;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;
import org.springframework.lang.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * Reads the sort value and id of a result, from which the next page's cursor is made.
 * Results are entities, DTOs or interface projections, so a projection must carry the
 * sort and id properties, under the entity's property names.
 *
 * @param <T> the type of the results
 */
final class ResultKeys<T> {

	private final String sortProperty;

	private final Function<T, Object> sortValue;

	private final Function<T, Object> id;

	private ResultKeys(String sortProperty, Function<T, Object> sortValue, Function<T, Object> id) {
		this.sortProperty = sortProperty;
		this.sortValue = sortValue;
		this.id = id;
	}

	static <T> ResultKeys<T> of(MappingContext<? extends RelationalPersistentEntity<?>, ?> context,
			RelationalPersistentEntity<?> entity, Class<T> resultType, RelationalPersistentProperty sortProperty) {
		String sort = sortProperty.getName();
		String id = entity.getRequiredIdProperty().getName();
		return new ResultKeys<>(sort, reader(context, entity, resultType, sort),
				reader(context, entity, resultType, id));
	}

	@Nullable
	Object sortValue(T result) {
		return this.sortValue.apply(result);
	}

	@Nullable
	Object id(T result) {
		return this.id.apply(result);
	}

	/**
	 * The cursor that starts after the given result.
	 * @throws IllegalStateException if the result's sort value or id is null
	 */
	Cursor cursorAfter(T result, Sort.Direction direction) {
		Object sortValue = sortValue(result);
		Object id = id(result);
		if (sortValue == null || id == null) {
			throw new IllegalStateException(("Cannot page past %s: its %s is null. Keyset pagination needs a "
					+ "NOT NULL sort column and an id")
				.formatted(result, (id == null) ? "id" : this.sortProperty));
		}
		return new Cursor(this.sortProperty, direction, sortValue, id);
	}

	@SuppressWarnings("unchecked")
	private static <T> Function<T, Object> reader(MappingContext<? extends RelationalPersistentEntity<?>, ?> context,
			RelationalPersistentEntity<?> entity, Class<T> resultType, String property) {
		if (entity.getType().isAssignableFrom(resultType)) {
			RelationalPersistentProperty persistent = entity.getRequiredPersistentProperty(property);
			return (result) -> entity.getPropertyAccessor(result).getProperty(persistent);
		}
		if (resultType.isInterface()) {
			PropertyDescriptor descriptor = BeanUtils.getPropertyDescriptor(resultType, property);
			Method getter = (descriptor != null) ? descriptor.getReadMethod() : null;
			checkPresent(getter != null, entity, resultType, property);
			// Projection interfaces need not be public: Spring Data proxies
			// package-private ones too.
			ReflectionUtils.makeAccessible(getter);
			return (result) -> ReflectionUtils.invokeMethod(getter, result);
		}
		RelationalPersistentEntity<?> projection = context.getPersistentEntity(resultType);
		RelationalPersistentProperty persistent = (projection != null) ? projection.getPersistentProperty(property)
				: null;
		checkPresent(persistent != null, entity, resultType, property);
		return (result) -> ((RelationalPersistentEntity<Object>) projection).getPropertyAccessor(result)
			.getProperty(persistent);
	}

	private static void checkPresent(boolean present, RelationalPersistentEntity<?> entity, Class<?> resultType,
			String property) {
		if (!present) {
			throw new IllegalArgumentException(("%s cannot be a keyset projection of %s: it has no property '%s', "
					+ "from which the next page's cursor is read")
				.formatted(resultType.getName(), entity.getType().getName(), property));
		}
	}

}
