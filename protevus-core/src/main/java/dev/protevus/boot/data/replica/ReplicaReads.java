package dev.protevus.boot.data.replica;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.lang.Nullable;

/**
 * Where the connections that a reactive pipeline opens come from, when the application's
 * connection factory is a {@link ReplicaRoutingConnectionFactory}: the explicit way to
 * send work that is not in a read-only transaction to a replica, or to keep read-only
 * work that must see the application's own latest writes on the primary.
 * <pre class="code">
 * Flux&lt;Book&gt; books = ReplicaReads.onReplica(template.select(Book.class).all());
 * Mono&lt;Order&gt; fresh = ReplicaReads.onPrimary(orders.findById(id));
 * </pre> Only connections opened inside the pipeline are routed: work that joins a
 * transaction already begun keeps the transaction's connection. The choice travels in the
 * Reactor context, so it covers everything upstream of the operator.
 *
 * @since 0.1.0
 */
public final class ReplicaReads {

	private static final Object KEY = ReplicaReads.class.getName() + ".target";

	private ReplicaReads() {
	}

	/**
	 * Opens the connections that a pipeline needs on a replica, or on the primary when no
	 * replica is available.
	 * @param <T> the element type
	 * @param work the pipeline, read-only
	 * @return the same pipeline, routed to a replica
	 */
	public static <T> Mono<T> onReplica(Mono<T> work) {
		return work.contextWrite((context) -> context.put(KEY, Target.REPLICA));
	}

	/**
	 * Opens the connections that a pipeline needs on a replica, or on the primary when no
	 * replica is available.
	 * @param <T> the element type
	 * @param work the pipeline, read-only
	 * @return the same pipeline, routed to a replica
	 */
	public static <T> Flux<T> onReplica(Flux<T> work) {
		return work.contextWrite((context) -> context.put(KEY, Target.REPLICA));
	}

	/**
	 * Opens the connections that a pipeline needs on the primary, even inside a read-only
	 * transaction begun within it, for reads that must see the latest writes.
	 * @param <T> the element type
	 * @param work the pipeline
	 * @return the same pipeline, routed to the primary
	 */
	public static <T> Mono<T> onPrimary(Mono<T> work) {
		return work.contextWrite((context) -> context.put(KEY, Target.PRIMARY));
	}

	/**
	 * Opens the connections that a pipeline needs on the primary, even inside a read-only
	 * transaction begun within it, for reads that must see the latest writes.
	 * @param <T> the element type
	 * @param work the pipeline
	 * @return the same pipeline, routed to the primary
	 */
	public static <T> Flux<T> onPrimary(Flux<T> work) {
		return work.contextWrite((context) -> context.put(KEY, Target.PRIMARY));
	}

	/**
	 * The target a context asks for.
	 * @param context the subscriber's context
	 * @return the target, or {@code null} when the context names none
	 */
	@Nullable
	static Target target(ContextView context) {
		return context.getOrDefault(KEY, null);
	}

	/**
	 * The context in which a transaction begins: a read-only transaction goes to a
	 * replica unless the caller asked for the primary; any other transaction goes to the
	 * primary.
	 */
	static Context forTransaction(Context context, boolean readOnly) {
		if (!readOnly) {
			return context.put(KEY, Target.PRIMARY);
		}
		return context.hasKey(KEY) ? context : context.put(KEY, Target.REPLICA);
	}

	enum Target {

		PRIMARY, REPLICA

	}

}
