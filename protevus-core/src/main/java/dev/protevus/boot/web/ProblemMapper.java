package dev.protevus.boot.web;

import org.springframework.lang.Nullable;

/**
 * Maps an exception that a web request failed with to the problem the client gets. Each
 * Protevus feature contributes one for its own exceptions (the data layer's unreachable
 * database, the worker pools' full queues), and so can applications: every bean of this
 * type is asked, in {@link org.springframework.core.Ordered order}, for each exception of
 * the failure's cause chain from the outermost in, and the first problem returned answers
 * the request. What no mapper knows is answered by Protevus's mapping of Spring's own
 * exceptions, or a 500.
 * <p>
 * The detail of a returned problem is sent to the client as it is: it must name no
 * internals.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ProblemMapper {

	/**
	 * The problem for one exception of a failure's cause chain.
	 * @param ex the exception
	 * @return the problem, or {@code null} if this mapper does not know the exception
	 */
	@Nullable
	Problem map(Throwable ex);

}
