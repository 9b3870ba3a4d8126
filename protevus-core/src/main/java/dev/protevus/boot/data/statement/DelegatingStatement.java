package dev.protevus.boot.data.statement;

import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;

/**
 * A statement that passes everything to another one, for wrappers that change how it
 * executes. Every {@code bind} and {@code bindNull} goes through {@link #bound()}.
 */
abstract class DelegatingStatement implements Statement, Wrapped<Statement> {

	private final Statement delegate;

	DelegatingStatement(Statement delegate) {
		this.delegate = delegate;
	}

	@Override
	public Publisher<? extends Result> execute() {
		return this.delegate.execute();
	}

	/**
	 * Called before a value (or null) is bound to a parameter.
	 */
	void bound() {
	}

	@Override
	public Statement add() {
		this.delegate.add();
		return this;
	}

	@Override
	public Statement bind(int index, Object value) {
		bound();
		this.delegate.bind(index, value);
		return this;
	}

	@Override
	public Statement bind(String name, Object value) {
		bound();
		this.delegate.bind(name, value);
		return this;
	}

	@Override
	public Statement bindNull(int index, Class<?> type) {
		bound();
		this.delegate.bindNull(index, type);
		return this;
	}

	@Override
	public Statement bindNull(String name, Class<?> type) {
		bound();
		this.delegate.bindNull(name, type);
		return this;
	}

	@Override
	public Statement returnGeneratedValues(String... columns) {
		this.delegate.returnGeneratedValues(columns);
		return this;
	}

	@Override
	public Statement fetchSize(int rows) {
		this.delegate.fetchSize(rows);
		return this;
	}

	@Override
	public Statement unwrap() {
		return this.delegate;
	}

}
