package dev.protevus.boot.web;

import java.net.URI;
import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.lang.Nullable;

/**
 * What a failed request is answered with: an RFC 9457 problem detail and the headers to
 * send with it, such as {@code Retry-After}.
 *
 * @param detail the problem detail, whose status is the response's
 * @param headers headers to add to the response, or {@code null}
 * @since 0.1.0
 */
public record Problem(ProblemDetail detail, @Nullable HttpHeaders headers) {

	// Spring Framework 7 leaves a problem's type unset where 6 defaults it to
	// about:blank; every Protevus answer has it, on Boot 3.5 and Boot 4 alike.
	static final URI BLANK_TYPE = URI.create("about:blank");

	/**
	 * Creates the problem, giving its detail the type {@code about:blank} when it has
	 * none.
	 * @param detail the problem detail, whose status is the response's
	 * @param headers headers to add to the response, or {@code null}
	 */
	public Problem {
		if (detail.getType() == null) {
			detail.setType(BLANK_TYPE);
		}
	}

	/**
	 * A problem with a status, its reason phrase as title, and a detail.
	 * @param status the response status
	 * @param detail what went wrong, in terms the client may read, or {@code null} for a
	 * generic detail that says what the status means
	 * @return the problem
	 */
	public static Problem of(HttpStatusCode status, @Nullable String detail) {
		ProblemDetail problem = ProblemDetail.forStatus(status);
		HttpStatus known = HttpStatus.resolve(status.value());
		problem.setTitle((known != null) ? known.getReasonPhrase() : "Error " + status.value());
		problem.setDetail((detail != null) ? detail : genericDetail(status));
		return new Problem(problem, null);
	}

	/**
	 * A problem that asks the client to come back, with {@code Retry-After}.
	 * @param status the response status, usually 503 or 429
	 * @param detail what went wrong, in terms the client may read
	 * @param retryAfter how long the client should wait
	 * @return the problem
	 */
	public static Problem retryLater(HttpStatusCode status, String detail, Duration retryAfter) {
		return new Problem(of(status, detail).detail(), ProblemResponseWriter.retryAfter(retryAfter));
	}

	/**
	 * A detail that says what the status means, for when no more can be said safely.
	 * @param status the response status
	 * @return the detail
	 */
	public static String genericDetail(HttpStatusCode status) {
		return switch (status.value()) {
			case 400 -> "The request is invalid.";
			case 401 -> "The request needs authentication.";
			case 403 -> "The request is not allowed.";
			case 404 -> "There is nothing at this path.";
			case 409 -> "The request conflicts with the current state of the resource.";
			case 413 -> "The request body is larger than this server accepts.";
			case 429 -> "Too many requests; retry later.";
			case 500 -> "The server failed to handle the request.";
			case 503 -> "The server cannot handle the request right now; retry later.";
			case 504 -> "The server did not get what the request needs in time.";
			default -> {
				HttpStatus known = HttpStatus.resolve(status.value());
				yield (known != null) ? known.getReasonPhrase() + "." : "The request failed.";
			}
		};
	}

}
