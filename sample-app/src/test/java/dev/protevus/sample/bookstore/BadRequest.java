package dev.protevus.sample.bookstore;

import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.lang.Nullable;

/**
 * One request that {@link BadRequestGenerator} made, exactly as it goes on the wire.
 *
 * @param category what is wrong with it
 * @param method the method
 * @param uri the path and query, already percent-encoded
 * @param headers the headers to send, besides those the client adds
 * @param body the body's bytes, or {@code null} for none
 */
record BadRequest(BadRequestGenerator.Category category, HttpMethod method, String uri, HttpHeaders headers,
		@Nullable byte[] body) {

	private static final int SHOWN = 300;

	/**
	 * Everything the request says, to tell what an answer merely echoes from what it
	 * reveals.
	 */
	String text() {
		String body = (this.body != null) ? new String(this.body, StandardCharsets.UTF_8) : "";
		return this.uri + " " + this.headers + " " + body;
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(this.category + ": " + this.method + " " + abbreviate(this.uri));
		this.headers.forEach(
				(name, values) -> text.append("\n  ").append(name).append(": ").append(abbreviate(values.toString())));
		if (this.body != null) {
			text.append("\n  body (")
				.append(this.body.length)
				.append(" bytes): ")
				.append(abbreviate(new String(this.body, StandardCharsets.UTF_8)));
		}
		return text.toString();
	}

	static String abbreviate(String text) {
		return (text.length() <= SHOWN) ? text
				: text.substring(0, SHOWN) + "... (" + (text.length() - SHOWN) + " more characters)";
	}

}
