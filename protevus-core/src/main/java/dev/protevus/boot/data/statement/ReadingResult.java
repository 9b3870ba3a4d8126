package dev.protevus.boot.data.statement;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;

/**
 * A result whose every read (rows, segments, update counts) passes through one
 * {@link Reading}, also after {@link #filter(Predicate) filtering}: how a statement
 * wrapper follows an execution until its results have been read.
 */
final class ReadingResult implements Result, Wrapped<Result> {

	private final Result delegate;

	private final Reading reading;

	ReadingResult(Result delegate, Reading reading) {
		this.delegate = delegate;
		this.reading = reading;
	}

	@Override
	public Publisher<Long> getRowsUpdated() {
		return this.reading.read(this.delegate.getRowsUpdated());
	}

	@Override
	public <T> Publisher<T> map(BiFunction<Row, RowMetadata, ? extends T> mappingFunction) {
		return this.reading.read(this.delegate.map(mappingFunction));
	}

	@Override
	public <T> Publisher<T> map(Function<? super Readable, ? extends T> mappingFunction) {
		return this.reading.read(this.delegate.map(mappingFunction));
	}

	@Override
	public Result filter(Predicate<Segment> filter) {
		return new ReadingResult(this.delegate.filter(filter), this.reading);
	}

	@Override
	public <T> Publisher<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mappingFunction) {
		return this.reading.read(this.delegate.flatMap(mappingFunction));
	}

	@Override
	public Result unwrap() {
		return this.delegate;
	}

	/**
	 * What a read of a result goes through.
	 */
	interface Reading {

		/**
		 * The read, as the caller gets it.
		 * @param <T> the type of what is read
		 * @param read what the result gives
		 * @return what the caller subscribes to
		 */
		<T> Publisher<T> read(Publisher<T> read);

	}

}
