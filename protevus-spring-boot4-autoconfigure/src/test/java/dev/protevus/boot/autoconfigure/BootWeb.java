package dev.protevus.boot.autoconfigure;

import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.error.DefaultErrorAttributes;
import org.springframework.boot.webflux.error.ErrorAttributes;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Spring Boot's WebFlux error handling types, as Boot 4 names them, for the shared
 * auto-configuration tests (in {@code protevus-spring-boot-autoconfigure/src/test/java});
 * the Boot 3.5 module's test tree has a class of the same name that uses Boot 3.5's.
 */
public final class BootWeb {

	private BootWeb() {
	}

	/**
	 * The type of Boot's WebFlux error handler.
	 * @return the type
	 */
	public static Class<? extends WebExceptionHandler> errorWebExceptionHandler() {
		return ErrorWebExceptionHandler.class;
	}

	/**
	 * Adds an application's own error handler, {@code ownErrorHandler}, that passes every
	 * error on.
	 * @param runner the runner
	 * @return the runner with the handler
	 */
	public static ReactiveWebApplicationContextRunner withOwnErrorHandler(ReactiveWebApplicationContextRunner runner) {
		return runner.withBean("ownErrorHandler", ErrorWebExceptionHandler.class,
				() -> (exchange, ex) -> Mono.error(ex));
	}

	/**
	 * Adds an application's own error attributes, {@code ownErrorAttributes}.
	 * @param runner the runner
	 * @return the runner with the error attributes
	 */
	public static ReactiveWebApplicationContextRunner withOwnErrorAttributes(
			ReactiveWebApplicationContextRunner runner) {
		return runner.withBean("ownErrorAttributes", ErrorAttributes.class, DefaultErrorAttributes::new);
	}

}
