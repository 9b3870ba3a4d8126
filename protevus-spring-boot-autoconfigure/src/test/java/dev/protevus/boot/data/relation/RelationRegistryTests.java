package dev.protevus.boot.data.relation;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.r2dbc.mapping.R2dbcMappingContext;
import org.springframework.data.relational.core.mapping.Table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * {@link RelationRegistry} checking declarations against the mapping alone, without a
 * database.
 */
class RelationRegistryTests {

	@Test
	void validateAcceptsDeclarationsThatFitTheMapping() {
		RelationRegistry registry = registry(Writer.class, Novel.class);
		assertThatNoException().isThrownBy(registry::validate);
		assertThat(registry.getRelationNames(Writer.class)).containsExactly("novels");
		assertThat(registry.getRelationNames(Novel.class)).containsExactly("writer");
	}

	@Test
	void foreignKeyThatTheTargetDoesNotMapFailsWithTheMappedColumns() {
		RelationRegistry registry = registry(Writer.class, Novel.class).register(Writer.class, "novels",
				RelationDefinition.hasMany(Novel.class, "writr_id"));
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.withMessage("Relation 'novels' of " + Writer.class.getName() + " is invalid: column 'writr_id' is not "
					+ "mapped by " + Novel.class.getName() + " (mapped columns: id, writer_id, title)")
			.satisfies((ex) -> {
				assertThat(ex.getEntityType()).isEqualTo(Writer.class);
				assertThat(ex.getProperty()).isEqualTo("novels");
				assertThat(ex.getReason()).startsWith("column 'writr_id' is not mapped by");
				assertThat(ex.getAction()).isEqualTo("Set foreignKey to the column of Novel that holds the id of "
						+ "Writer, or map that column with a property of Novel");
			});
	}

	@Test
	void foreignKeyNamedAfterAPropertySuggestsItsColumn() {
		RelationRegistry registry = registry(Writer.class, Novel.class).register(Writer.class, "novels",
				RelationDefinition.hasMany(Novel.class, "writerId"));
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.satisfies((ex) -> assertThat(ex.getAction())
				.isEqualTo("Use the column name 'writer_id' of property 'writerId' as foreignKey"));
	}

	@Test
	void belongsToNeedsAColumnOfTheDeclaringEntity() {
		RelationRegistry registry = registry(Writer.class, Novel.class).register(Novel.class, "writer",
				RelationDefinition.belongsTo(Writer.class, "author_id"));
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.withMessageEndingWith("column 'author_id' is not mapped by " + Novel.class.getName()
					+ " (mapped columns: id, writer_id, title)");
	}

	@Test
	void registrationForAPropertyThatDoesNotExistFails() {
		RelationRegistry registry = registry(Writer.class, Novel.class).register(Writer.class, "bokos",
				RelationDefinition.hasMany(Novel.class, "writer_id"));
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.withMessageEndingWith(Writer.class.getName() + " has no property 'bokos'");
	}

	@Test
	void propertyThatSpringDataMapsFails() {
		RelationRegistry registry = registry(Writer.class, Novel.class).register(Novel.class, "title",
				RelationDefinition.belongsTo(Writer.class, "writer_id"));
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.satisfies((ex) -> assertThat(ex.getAction()).contains("@org.springframework.data.annotation.Transient"));
	}

	@Test
	void propertyThatCannotHoldTheTargetFails() {
		RelationRegistry registry = registry(Writer.class, Novel.class).register(Writer.class, "novels",
				RelationDefinition.hasMany(Writer.class, "id"));
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.withMessageContaining("@HasMany holds several " + Writer.class.getName())
			.satisfies((ex) -> assertThat(ex.getAction()).startsWith("Declare the property as List<Writer>"));
	}

	@Test
	void toManyAnnotationOnASingleValuedPropertyFails() {
		RelationRegistry registry = registry(Misdeclared.class, Novel.class);
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.withMessageContaining("'novel' of " + Misdeclared.class.getName())
			.withMessageContaining("@HasMany holds several " + Novel.class.getName() + " but the property is a "
					+ Novel.class.getName());
	}

	@Test
	void targetThatIsNotAnEntityFails() {
		RelationRegistry registry = registry(Writer.class).register(Writer.class, "nicknames",
				RelationDefinition.hasMany(String.class, "writer_id"));
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.withMessageEndingWith("the target type java.lang.String is not a mapped entity");
	}

	@Test
	void finalFieldWithoutWitherFails() {
		RelationRegistry registry = registry(Sealed.class, Novel.class);
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.withMessageEndingWith("the property cannot be set: its field is final and " + Sealed.class.getName()
					+ " has no method withNovels(List)")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("Sealed withNovels(List novels)"));
	}

	@Test
	void recordThatSpringDataCannotReadFails() {
		RelationRegistry registry = registry(Unreadable.class, Novel.class);
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.withMessageContaining("its persistence creator takes 'novels'")
			.satisfies((ex) -> assertThat(ex.getAction())
				.endsWith("@PersistenceCreator Unreadable(Long id) { this(id, null); }"));
	}

	@Test
	void manyToManyNeedsItsJoinTable() {
		RelationRegistry registry = registry(Writer.class, Novel.class).register(Writer.class, "novels",
				RelationDefinition.manyToMany(Novel.class, " ", "writer_id", "novel_id"));
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.withMessageEndingWith("joinTable is empty");
	}

	@Test
	void severalRelationAnnotationsOnOnePropertyFail() {
		RelationRegistry registry = registry(Ambiguous.class, Novel.class);
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.withMessageEndingWith("it carries @HasMany and @ManyToMany");
	}

	@Test
	void validateCoversEntitiesReachedThroughRelations() {
		RelationRegistry registry = registry(Shelf.class);
		assertThatExceptionOfType(InvalidRelationException.class).isThrownBy(registry::validate)
			.satisfies((ex) -> assertThat(ex.getEntityType()).isEqualTo(Ambiguous.class));
	}

	@Test
	void registrationReplacesAnAnnotation() {
		RelationRegistry registry = registry(Ambiguous.class, Novel.class).register(Ambiguous.class, "novels",
				RelationDefinition.hasMany(Novel.class, "writer_id"));
		assertThatNoException().isThrownBy(registry::validate);
	}

	@Test
	void unknownRelationListsTheValidNames() {
		RelationRegistry registry = registry(Writer.class, Novel.class);
		assertThatExceptionOfType(UnknownRelationException.class)
			.isThrownBy(() -> registry.getRequiredRelation(Novel.class, "writr", "novels.writr"))
			.withMessage("Unknown relation 'writr' of " + Novel.class.getName()
					+ " (in path 'novels.writr'): valid relations are writer")
			.satisfies((ex) -> assertThat(ex.getValidNames()).containsExactly("writer"));
	}

	@Test
	void invalidRelationIsReportedWhenLoaded() {
		RelationRegistry registry = registry(Writer.class, Novel.class).register(Writer.class, "novels",
				RelationDefinition.hasMany(Novel.class, "writr_id"));
		assertThatExceptionOfType(InvalidRelationException.class)
			.isThrownBy(() -> registry.getRequiredRelation(Writer.class, "novels", "novels"))
			.withMessageContaining("writr_id");
	}

	private static RelationRegistry registry(Class<?>... entities) {
		R2dbcMappingContext mappingContext = new R2dbcMappingContext();
		mappingContext.setInitialEntitySet(Set.of(entities));
		mappingContext.afterPropertiesSet();
		return new RelationRegistry(mappingContext);
	}

	@Table("rel_writers")
	record Writer(@Id Long id, String name, @Transient @HasMany(foreignKey = "writer_id") List<Novel> novels,
			@Transient List<String> nicknames) {

		@PersistenceCreator
		Writer(Long id, String name) {
			this(id, name, null, null);
		}

	}

	@Table("rel_novels")
	record Novel(@Id Long id, Long writerId, String title,
			@Transient @BelongsTo(foreignKey = "writer_id") Writer writer) {

		@PersistenceCreator
		Novel(Long id, Long writerId, String title) {
			this(id, writerId, title, null);
		}

	}

	@Table("rel_misdeclared")
	static class Misdeclared {

		@Id
		Long id;

		@Transient
		@HasMany(foreignKey = "writer_id")
		Novel novel;

	}

	@Table("rel_sealed")
	static class Sealed {

		@Id
		Long id;

		@Transient
		@HasMany(foreignKey = "writer_id")
		final List<Novel> novels = null;

	}

	@Table("rel_unreadable")
	record Unreadable(@Id Long id, @Transient @HasMany(foreignKey = "writer_id") List<Novel> novels) {
	}

	@Table("rel_ambiguous")
	static class Ambiguous {

		@Id
		Long id;

		@Transient
		@HasMany(foreignKey = "writer_id")
		@ManyToMany(joinTable = "rel_ambiguous_novels", joinColumn = "ambiguous_id", inverseJoinColumn = "novel_id")
		List<Novel> novels;

	}

	@Table("rel_shelves")
	record Shelf(@Id Long id, @Transient @HasOne(foreignKey = "id") Ambiguous ambiguous) {

		@PersistenceCreator
		Shelf(Long id) {
			this(id, null);
		}

	}

}
