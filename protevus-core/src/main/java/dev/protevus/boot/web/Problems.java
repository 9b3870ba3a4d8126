package dev.protevus.boot.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.protevus.boot.web.ProblemResponseWriter;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.lang.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerErrorException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Turns a failed request's exception into the problem detail the client gets. What the
 * client reads is written here, never taken from an exception message that could name
 * classes or carry a stack trace: framework exceptions get a detail that says what was
 * wrong with the request, exceptions that say they are meant for clients
 * ({@code ResponseStatusException}, {@code ErrorResponse}, {@code @ResponseStatus}) keep
 * their reason if it names nothing internal, and anything unexpected becomes a 500 with a
 * generic detail, logged with its stack trace.
 * <p>
 * The {@link ProblemMapper}s of features and applications are asked first, for each
 * exception of the cause chain from the outermost in; Spring's own exceptions are mapped
 * last.
 *
 * @since 0.1.0
 */
public final class Problems {

	private static final Log logger = LogFactory.getLog(Problems.class);

	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	private static final boolean JACKSON_PRESENT = ClassUtils
		.isPresent("com.fasterxml.jackson.databind.JsonMappingException", Problems.class.getClassLoader());

	private static final boolean BEAN_VALIDATION_PRESENT = ClassUtils
		.isPresent("jakarta.validation.ConstraintViolationException", Problems.class.getClassLoader());

	/**
	 * Qualified class names, stack frames, and words that only internals use.
	 */
	private static final Pattern INTERNAL = Pattern
		.compile("\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+\\.[A-Z$]|Exception|\\[Source:|\\bjava\\.");

	private static final int MAXIMUM_DETAIL_LENGTH = 500;

	private static final Map<String, HttpStatus> RESILIENCE4J = Map.of(
			"io.github.resilience4j.ratelimiter.RequestNotPermitted", HttpStatus.TOO_MANY_REQUESTS,
			"io.github.resilience4j.bulkhead.BulkheadFullException", HttpStatus.SERVICE_UNAVAILABLE,
			"io.github.resilience4j.circuitbreaker.CallNotPermittedException", HttpStatus.SERVICE_UNAVAILABLE);

	/**
	 * How deep a cause chain is followed at most.
	 */
	private static final int MAXIMUM_DEPTH = 32;

	private final List<ProblemMapper> mappers;

	/**
	 * Creates the mapping of failures to problems.
	 * @param mappers the mappers of features and the application, in order
	 */
	public Problems(List<? extends ProblemMapper> mappers) {
		List<ProblemMapper> all = new ArrayList<>(mappers);
		all.add(Problems::known);
		this.mappers = List.copyOf(all);
	}

	/**
	 * The problem to answer a request with that failed with the given exception.
	 * @param ex what the request failed with
	 * @param exchange the request
	 * @return the problem and the headers to send with it
	 */
	public Problem resolve(Throwable ex, ServerWebExchange exchange) {
		Problem problem = map(ex);
		if (problem == null) {
			return unexpected(ex, exchange);
		}
		if (problem.detail().getStatus() >= 500 && logger.isDebugEnabled()) {
			// Expected under load (full pools, open circuits): not worth a stack trace at
			// WARN.
			logger.debug(exchange.getLogPrefix() + "Answered " + problem.detail().getStatus() + " for "
					+ exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath(), ex);
		}
		return problem;
	}

	@Nullable
	private Problem map(Throwable ex) {
		for (Throwable cause : causes(ex)) {
			for (ProblemMapper mapper : this.mappers) {
				Problem problem = mapper.map(cause);
				if (problem != null) {
					return problem;
				}
			}
		}
		return null;
	}

	/**
	 * An exception and its causes, from the outermost in, each once.
	 * @param ex the exception
	 * @return the cause chain
	 */
	public static List<Throwable> causes(Throwable ex) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable cause = ex; cause != null && causes.size() < MAXIMUM_DEPTH
				&& !causes.contains(cause); cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	/**
	 * A duration as people write it in properties: whole seconds, or milliseconds.
	 */
	public static String format(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

	@Nullable
	private static Problem known(Throwable ex) {
		// A ServerErrorException wraps a handler's failure, which its cause may explain.
		if (ex instanceof ErrorResponse error && !(ex instanceof ServerErrorException)) {
			String detail = error.getStatusCode().is4xxClientError() ? clientDetail(error)
					: safe(error.getBody().getDetail());
			return withExtensions(Problem.of(error.getStatusCode(), detail).detail(), error);
		}
		if (ex instanceof RejectedExecutionException) {
			return Problem.retryLater(HttpStatus.SERVICE_UNAVAILABLE,
					"The server is too busy to take this request; retry shortly.", RETRY_AFTER);
		}
		if (ex instanceof DataBufferLimitException) {
			return Problem.of(HttpStatus.PAYLOAD_TOO_LARGE, null);
		}
		if (ex instanceof TimeoutException) {
			return Problem.of(HttpStatus.GATEWAY_TIMEOUT, null);
		}
		HttpStatus resilience = RESILIENCE4J.get(ex.getClass().getName());
		if (resilience != null) {
			return Problem.retryLater(resilience, Problem.genericDetail(resilience), RETRY_AFTER);
		}
		if (BEAN_VALIDATION_PRESENT && BeanValidation.isViolation(ex)) {
			Problem problem = Problem.of(HttpStatus.BAD_REQUEST, null);
			problem.detail().setProperty("errors", BeanValidation.errors(ex));
			return problem;
		}
		MergedAnnotation<ResponseStatus> responseStatus = MergedAnnotations
			.from(ex.getClass(), SearchStrategy.TYPE_HIERARCHY)
			.get(ResponseStatus.class);
		if (responseStatus.isPresent()) {
			HttpStatus status = responseStatus.getEnum("code", HttpStatus.class);
			String reason = responseStatus.getString("reason");
			return Problem.of(status, StringUtils.hasText(reason) ? safe(reason)
					: status.is4xxClientError() ? safe(ex.getMessage()) : null);
		}
		return null;
	}

	private static Problem unexpected(Throwable ex, ServerWebExchange exchange) {
		String requestId = exchange.getRequest().getId();
		String request = exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath();
		if (DisconnectedClientHelper.isClientDisconnectedException(ex)) {
			// The client went away: nothing failed here, and nobody reads the answer.
			logger.debug(exchange.getLogPrefix() + "Client disconnected during " + request);
		}
		else {
			logger.error(exchange.getLogPrefix() + "500 Server Error for " + request, ex);
		}
		ProblemDetail problem = Problem.of(HttpStatus.INTERNAL_SERVER_ERROR, null).detail();
		problem.setProperty("requestId", requestId);
		return new Problem(problem, null);
	}

	/**
	 * The problem with the type, title and extra properties that a client-facing
	 * exception carries, and its headers.
	 */
	private static Problem withExtensions(ProblemDetail detail, ErrorResponse source) {
		ProblemDetail body = source.getBody();
		detail.setType(body.getType());
		if (body.getTitle() != null && !body.getTitle().equals(detail.getTitle()) && safe(body.getTitle()) != null) {
			detail.setTitle(body.getTitle());
		}
		if (body.getProperties() != null) {
			body.getProperties().forEach(detail::setProperty);
		}
		HttpHeaders headers = source.getHeaders();
		return new Problem(detail, headers.isEmpty() ? null : headers);
	}

	/**
	 * What a client did wrong, in the client's terms.
	 */
	@Nullable
	private static String clientDetail(ErrorResponse error) {
		if (error instanceof MethodNotAllowedException ex) {
			return "Method " + ex.getHttpMethod() + " is not supported here"
					+ supported(ex.getSupportedMethods().stream().map(Object::toString).sorted().toList());
		}
		if (error instanceof NotAcceptableStatusException ex) {
			return "None of the accepted media types can be produced" + supported(types(ex.getSupportedMediaTypes()));
		}
		if (error instanceof UnsupportedMediaTypeStatusException ex) {
			return ((ex.getContentType() != null) ? "Content-Type '" + ex.getContentType() + "' is not supported"
					: "The request has no Content-Type") + supported(types(ex.getSupportedMediaTypes()));
		}
		if (error instanceof MissingRequestValueException ex) {
			return "Required " + ex.getLabel() + " '" + ex.getName() + "' is missing.";
		}
		if (error instanceof WebExchangeBindException ex) {
			error.getBody().setProperty("errors", errors(ex.getFieldErrors(), ex.getGlobalErrors(), null));
			return "The request content is invalid.";
		}
		if (error instanceof HandlerMethodValidationException ex) {
			error.getBody().setProperty("errors", errors(ex));
			return "The request is invalid.";
		}
		if (error instanceof ServerWebInputException ex) {
			return inputDetail(ex);
		}
		if (error instanceof PayloadTooLargeException || error instanceof NoResourceFoundException) {
			return null;
		}
		return safe(error.getBody().getDetail());
	}

	@Nullable
	private static String inputDetail(ServerWebInputException ex) {
		if (ex.getCause() instanceof TypeMismatchException mismatch) {
			MethodParameter parameter = ex.getMethodParameter();
			String name = (parameter != null) ? parameter.getParameterName() : mismatch.getPropertyName();
			return (name != null) ? "The value of '" + name + "' is not valid." : "A request value is not valid.";
		}
		if (ex.getCause() instanceof DecodingException decoding) {
			String where = JACKSON_PRESENT ? Json.location(decoding) : null;
			return "The request body could not be read" + ((where != null) ? " " + where : "") + ".";
		}
		return safe(ex.getBody().getDetail());
	}

	private static List<Map<String, Object>> errors(HandlerMethodValidationException ex) {
		List<Map<String, Object>> errors = new ArrayList<>();
		for (ParameterValidationResult result : ex.getParameterValidationResults()) {
			String name = result.getMethodParameter().getParameterName();
			if (result instanceof ParameterErrors bean) {
				errors.addAll(errors(bean.getFieldErrors(), bean.getGlobalErrors(), name));
			}
			else {
				for (MessageSourceResolvable error : result.getResolvableErrors()) {
					errors.add(error(name, error));
				}
			}
		}
		return errors;
	}

	private static List<Map<String, Object>> errors(List<FieldError> fieldErrors, List<ObjectError> globalErrors,
			String prefix) {
		List<Map<String, Object>> errors = new ArrayList<>();
		for (FieldError error : fieldErrors) {
			errors.add(error((prefix != null) ? prefix + "." + error.getField() : error.getField(),
					error.isBindingFailure() ? null : error));
		}
		for (ObjectError error : globalErrors) {
			errors.add(error(prefix, error));
		}
		return errors;
	}

	private static Map<String, Object> error(String field, MessageSourceResolvable error) {
		Map<String, Object> described = new LinkedHashMap<>();
		if (field != null) {
			described.put("field", field);
		}
		String message = (error != null) ? safe(error.getDefaultMessage()) : null;
		described.put("message", (message != null) ? message : "is not valid");
		return described;
	}

	private static String supported(Collection<String> values) {
		return values.isEmpty() ? "." : "; supported: " + String.join(", ", values) + ".";
	}

	private static List<String> types(List<MediaType> types) {
		return types.stream().map(MediaType::toString).toList();
	}

	/**
	 * The text if a client may read it, {@code null} if it looks like it could reveal
	 * internals such as class names.
	 */
	@Nullable
	public static String safe(@Nullable String text) {
		if (!StringUtils.hasText(text) || text.length() > MAXIMUM_DETAIL_LENGTH || INTERNAL.matcher(text).find()) {
			return null;
		}
		return text;
	}

	/**
	 * Where Jackson found the request body wrong, without the parser's internals.
	 */
	private static final class Json {

		static String location(DecodingException ex) {
			if (ex.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
				return "at '" + mapping.getPath()
					.stream()
					.map((reference) -> (reference.getFieldName() != null) ? reference.getFieldName()
							: "[" + reference.getIndex() + "]")
					.collect(Collectors.joining("."))
					.replace(".[", "[") + "'";
			}
			if (ex.getCause() instanceof JsonProcessingException processing && processing.getLocation() != null) {
				return "as JSON (line " + processing.getLocation().getLineNr() + ", column "
						+ processing.getLocation().getColumnNr() + ")";
			}
			return "as JSON";
		}

	}

	/**
	 * The violations of a Bean Validation failure, by property path.
	 */
	private static final class BeanValidation {

		static boolean isViolation(Throwable ex) {
			return ex instanceof ConstraintViolationException;
		}

		static List<Map<String, Object>> errors(Throwable ex) {
			List<Map<String, Object>> errors = new ArrayList<>();
			Collection<ConstraintViolation<?>> violations = ((ConstraintViolationException) ex)
				.getConstraintViolations();
			if (violations == null) {
				return errors;
			}
			for (ConstraintViolation<?> violation : violations) {
				Map<String, Object> described = new LinkedHashMap<>();
				String field = field(violation.getPropertyPath());
				if (!field.isEmpty()) {
					described.put("field", field);
				}
				String message = safe(violation.getMessage());
				described.put("message", (message != null) ? message : "is not valid");
				errors.add(described);
			}
			return errors;
		}

		private static String field(Path path) {
			List<String> names = new ArrayList<>();
			for (Path.Node node : path) {
				// Method validation paths start with the method's name, which is no
				// field.
				if (node.getKind() != ElementKind.METHOD && node.getKind() != ElementKind.CONSTRUCTOR
						&& node.getName() != null) {
					names.add(node.getName());
				}
			}
			return String.join(".", names);
		}

	}

}
