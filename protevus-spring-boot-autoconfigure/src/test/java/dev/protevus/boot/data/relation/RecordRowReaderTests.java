package dev.protevus.boot.data.relation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import io.r2dbc.spi.ConnectionFactories;
import org.junit.jupiter.api.Test;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.Table;

import static org.assertj.core.api.Assertions.assertThat;

class RecordRowReaderTests {

	private final R2dbcEntityTemplate template = new R2dbcEntityTemplate(
			ConnectionFactories.get("r2dbc:h2:mem:///record-reader?options=DB_CLOSE_DELAY=-1"));

	@Test
	void readsRecordsAsSpringDataDoesAndThenWithoutIt() {
		items("(1, 'pen', 1.50, DATE '2026-01-02', 3), (2, NULL, NULL, NULL, 0)");
		RecordRowReader reader = RecordRowReader.of(entity(Item.class));
		assertThat(reader).isNotNull();
		List<Item> items = this.template.getDatabaseClient()
			.sql("SELECT * FROM rrr_items ORDER BY id")
			.map((row, metadata) -> (Item) reader.read(row, metadata, this.template.getConverter()))
			.all()
			.collectList()
			.block();
		assertThat(items).containsExactly(
				new Item(1L, "pen", new BigDecimal("1.50"), LocalDate.of(2026, 1, 2), 3, null),
				new Item(2L, null, null, null, 0, null));
	}

	@Test
	void readsEachResultByItsOwnColumnOrder() {
		items("(1, 'pen', 1.50, DATE '2026-01-02', 3)");
		RecordRowReader reader = RecordRowReader.of(entity(Item.class));
		assertThat(reader).isNotNull();
		Item expected = new Item(1L, "pen", new BigDecimal("1.50"), LocalDate.of(2026, 1, 2), 3, null);
		for (String columns : List.of("*", "stock, added, price, item_name, id", "item_name, id, stock, price, added",
				"*")) {
			Item item = this.template.getDatabaseClient()
				.sql("SELECT " + columns + " FROM rrr_items")
				.map((row, metadata) -> (Item) reader.read(row, metadata, this.template.getConverter()))
				.one()
				.block();
			assertThat(item).as(columns).isEqualTo(expected);
		}
	}

	@Test
	void readsOnlyRecordsOfPlainColumns() {
		assertThat(RecordRowReader.of(entity(Gadget.class))).isNull();
		assertThat(RecordRowReader.of(entity(Tagged.class))).isNull();
	}

	/**
	 * Creates the items' table if needed and leaves in it only the given rows.
	 */
	private void items(String values) {
		this.template.getDatabaseClient()
			.sql("CREATE TABLE IF NOT EXISTS rrr_items (id BIGINT PRIMARY KEY, item_name VARCHAR(50), price DECIMAL(8,2),"
					+ " added DATE, stock INT)")
			.then()
			.then(this.template.getDatabaseClient().sql("DELETE FROM rrr_items").then())
			.then(this.template.getDatabaseClient().sql("INSERT INTO rrr_items VALUES " + values).then())
			.block();
	}

	private RelationalPersistentEntity<?> entity(Class<?> type) {
		return this.template.getConverter().getMappingContext().getRequiredPersistentEntity(type);
	}

	@Table("rrr_items")
	record Item(@Id Long id, @Column("item_name") String name, BigDecimal price, LocalDate added, int stock,
			@Transient List<String> notes) {

		@PersistenceCreator
		Item(Long id, String name, BigDecimal price, LocalDate added, int stock) {
			this(id, name, price, added, stock, null);
		}

	}

	@Table("rrr_gadgets")
	static class Gadget {

		@Id
		Long id;

	}

	enum Colour {

		RED

	}

	@Table("rrr_tagged")
	record Tagged(@Id Long id, Colour colour) {
	}

}
