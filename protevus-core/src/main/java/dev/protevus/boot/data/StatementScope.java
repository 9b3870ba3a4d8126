package dev.protevus.boot.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.lang.Nullable;

/**
 * A unit of work, such as one web request, within which Protevus counts the statements
 * executed per statement shape to detect N+1 queries. Web requests get one automatically;
 * wrap other work (a scheduled job, a message handler) with
 * {@link #tracked(Mono, String)}.
 *
 * @since 0.1.0
 */
public final class StatementScope {

	/**
	 * Most shapes tracked per scope: a request that runs more distinct statements than
	 * this is not an N+1 pattern, and the map must stay bounded.
	 */
	private static final int MAX_SHAPES = 1_000;

	private static final AtomicReferenceFieldUpdater<StatementScope, Map> EXECUTIONS = AtomicReferenceFieldUpdater
		.newUpdater(StatementScope.class, Map.class, "executions");

	private static final AtomicReferenceFieldUpdater<StatementScope, Map> REPORTED = AtomicReferenceFieldUpdater
		.newUpdater(StatementScope.class, Map.class, "reported");

	// Every web request gets a scope, and most run no statement or a few: the name is
	// built and the maps are made only when needed.
	private final Supplier<String> name;

	@Nullable
	private volatile Map<String, AtomicInteger> executions;

	@Nullable
	private volatile Map<String, Boolean> reported;

	StatementScope(Supplier<String> name) {
		this.name = name;
	}

	/**
	 * Runs a publisher in a new scope.
	 * @param <T> the element type
	 * @param work the work
	 * @param name what the scope is, shown in warnings (for example
	 * {@code "GET /authors"})
	 * @return the work, tracked
	 */
	public static <T> Mono<T> tracked(Mono<T> work, String name) {
		return tracked(work, () -> name);
	}

	/**
	 * Runs a publisher in a new scope whose name is built only if a warning needs it.
	 * @param <T> the element type
	 * @param work the work
	 * @param name what the scope is, shown in warnings (for example
	 * {@code "GET /authors"})
	 * @return the work, tracked
	 */
	public static <T> Mono<T> tracked(Mono<T> work, Supplier<String> name) {
		return work.contextWrite((context) -> withNewScope(context, name));
	}

	/**
	 * Runs a publisher in a new scope.
	 * @param <T> the element type
	 * @param work the work
	 * @param name what the scope is, shown in warnings
	 * @return the work, tracked
	 */
	public static <T> Flux<T> tracked(Flux<T> work, String name) {
		return work.contextWrite((context) -> withNewScope(context, () -> name));
	}

	private static Context withNewScope(Context context, Supplier<String> name) {
		return context.hasKey(StatementScope.class) ? context
				: context.put(StatementScope.class, new StatementScope(name));
	}

	/**
	 * The scope of a reactive context, if it has one.
	 * @param context the context
	 * @return the scope, or {@code null}
	 */
	@Nullable
	public static StatementScope of(ContextView context) {
		return context.getOrDefault(StatementScope.class, null);
	}

	/**
	 * The scope's name.
	 * @return the name
	 */
	public String name() {
		return this.name.get();
	}

	/**
	 * Counts one execution of a statement shape.
	 * @param shape the normalized statement
	 * @return how many times the shape has run in this scope, including this one
	 */
	public int record(String shape) {
		Map<String, AtomicInteger> executions = map(EXECUTIONS);
		AtomicInteger count = executions.get(shape);
		if (count == null) {
			if (executions.size() >= MAX_SHAPES) {
				return 1;
			}
			count = executions.computeIfAbsent(shape, (key) -> new AtomicInteger());
		}
		return count.incrementAndGet();
	}

	/**
	 * Whether a shape is reported for the first time in this scope.
	 * @param shape the normalized statement
	 * @return {@code true} the first time only
	 */
	public boolean firstReport(String shape) {
		Map<String, Boolean> reported = map(REPORTED);
		return reported.putIfAbsent(shape, Boolean.TRUE) == null;
	}

	@SuppressWarnings("unchecked")
	private <V> Map<String, V> map(AtomicReferenceFieldUpdater<StatementScope, Map> field) {
		Map<String, V> map = field.get(this);
		if (map == null) {
			field.compareAndSet(this, null, new ConcurrentHashMap<>());
			map = field.get(this);
		}
		return map;
	}

}
