package dev.protevus.boot.data.relation;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

import org.springframework.beans.BeanUtils;
import org.springframework.lang.Nullable;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Sets a relation property: in place on a mutable entity, on a copy of an immutable one.
 * The choice follows Spring Data's: a non-final field is set, a record is copied through
 * its canonical constructor, a final field goes through its {@code withXxx} method.
 */
@FunctionalInterface
interface RelationPropertyWriter {

	/**
	 * Sets the property.
	 * @param entity the entity
	 * @param value the related entity or entities, {@code null} for none
	 * @return the entity itself, or the copy that holds the value
	 */
	Object write(Object entity, @Nullable Object value);

	/**
	 * The writer for a field of an entity type.
	 * @param type the entity type
	 * @param field the relation's field, declared by {@code type} or one of its
	 * superclasses
	 * @return the writer, or {@code null} when the property cannot be set
	 */
	@Nullable
	static RelationPropertyWriter forField(Class<?> type, Field field) {
		if (type.isRecord()) {
			return recordCopy(type, field.getName());
		}
		if (!Modifier.isFinal(field.getModifiers())) {
			ReflectionUtils.makeAccessible(field);
			return (entity, value) -> {
				ReflectionUtils.setField(field, entity, value);
				return entity;
			};
		}
		Method wither = ReflectionUtils.findMethod(type, witherName(field), field.getType());
		if (wither == null || !type.isAssignableFrom(wither.getReturnType())
				|| Modifier.isStatic(wither.getModifiers())) {
			return null;
		}
		ReflectionUtils.makeAccessible(wither);
		return (entity, value) -> ReflectionUtils.invokeMethod(wither, entity, value);
	}

	static String witherName(Field field) {
		return "with" + StringUtils.capitalize(field.getName());
	}

	private static Constructor<?> canonicalConstructor(Class<?> type, Class<?>[] parameterTypes) {
		try {
			return ReflectionUtils.accessibleConstructor(type, parameterTypes);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("Record " + type.getName() + " has no canonical constructor", ex);
		}
	}

	@Nullable
	private static RelationPropertyWriter recordCopy(Class<?> type, String name) {
		RecordComponent[] components = type.getRecordComponents();
		int index = Arrays.stream(components).map(RecordComponent::getName).toList().indexOf(name);
		if (index < 0) {
			return null;
		}
		Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
		Constructor<?> canonical = canonicalConstructor(type, parameterTypes);
		Method[] accessors = Arrays.stream(components).map(RecordComponent::getAccessor).toArray(Method[]::new);
		Arrays.stream(accessors).forEach(ReflectionUtils::makeAccessible);
		return (entity, value) -> {
			Object[] arguments = new Object[accessors.length];
			for (int i = 0; i < accessors.length; i++) {
				arguments[i] = (i != index) ? ReflectionUtils.invokeMethod(accessors[i], entity) : value;
			}
			return BeanUtils.instantiateClass(canonical, arguments);
		};
	}

}
