package dev.protevus.boot.data.query;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.springframework.data.domain.Sort;
import org.springframework.lang.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Writes {@link Cursor}s as tokens and reads them back, and converts the JSON scalars a
 * token holds to the types of the properties they are compared with.
 */
final class CursorTokens {

	private static final int VERSION = 1;

	/**
	 * Longest token read: far above any real cursor, low enough that a hostile one costs
	 * little.
	 */
	static final int MAX_LENGTH = 2048;

	private static final int CHECKSUM_BYTES = Integer.BYTES;

	private static final JsonMapper json = JsonMapper.builder()
		.addModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.build();

	private CursorTokens() {
	}

	static String encode(Cursor cursor) {
		ObjectNode document = json.createObjectNode();
		document.put("v", VERSION);
		document.put("p", cursor.sortProperty());
		document.put("d", cursor.direction().name());
		document.set("s", scalar("sort value", cursor.sortValue()));
		document.set("i", scalar("id", cursor.id()));
		byte[] payload;
		try {
			payload = json.writeValueAsBytes(document);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot write cursor " + cursor, ex);
		}
		ByteBuffer token = ByteBuffer.allocate(payload.length + CHECKSUM_BYTES);
		token.put(payload).putInt(checksum(payload, payload.length));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
	}

	private static JsonNode scalar(String name, Object value) {
		JsonNode node = json.valueToTree(value);
		if (node == null || !node.isValueNode() || node.isNull()) {
			throw new IllegalArgumentException("Cannot put the %s %s (%s) in a cursor: it is not written as a JSON "
				.formatted(name, value, value.getClass().getName()) + "string, number or boolean");
		}
		return node;
	}

	static Cursor decode(String token) {
		if (token == null || token.isEmpty()) {
			throw new InvalidCursorException("Invalid cursor: the token is empty");
		}
		if (token.length() > MAX_LENGTH) {
			throw invalid(token, "it is longer than " + MAX_LENGTH + " characters", null);
		}
		byte[] bytes;
		try {
			bytes = Base64.getUrlDecoder().decode(token);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(token, "it is not Base64URL", ex);
		}
		int payloadLength = bytes.length - CHECKSUM_BYTES;
		if (payloadLength <= 0) {
			throw invalid(token, "it is too short", null);
		}
		if (ByteBuffer.wrap(bytes, payloadLength, CHECKSUM_BYTES).getInt() != checksum(bytes, payloadLength)) {
			throw invalid(token, "its checksum does not match, so it was truncated or edited", null);
		}
		JsonNode document;
		try {
			document = json.readTree(bytes, 0, payloadLength);
		}
		catch (IOException ex) {
			throw invalid(token, "it does not hold a JSON document", ex);
		}
		return read(token, document);
	}

	private static Cursor read(String token, JsonNode document) {
		if (document == null || !document.isObject()) {
			throw invalid(token, "it does not hold a JSON object", null);
		}
		if (!document.path("v").isInt() || document.get("v").intValue() != VERSION) {
			throw invalid(token, "its version is not " + VERSION, null);
		}
		if (document.size() != 5) {
			throw invalid(token, "it does not have exactly the fields v, p, d, s and i", null);
		}
		String property = text(token, document, "p");
		Sort.Direction direction = Sort.Direction.fromOptionalString(text(token, document, "d"))
			.orElseThrow(() -> invalid(token, "its sort direction is neither ASC nor DESC", null));
		return new Cursor(property, direction, value(token, document, "s"), value(token, document, "i"));
	}

	private static String text(String token, JsonNode document, String field) {
		JsonNode node = document.path(field);
		if (!node.isTextual() || node.textValue().isEmpty()) {
			throw invalid(token, "its field '" + field + "' is not a non-empty string", null);
		}
		return node.textValue();
	}

	private static Object value(String token, JsonNode document, String field) {
		JsonNode node = document.path(field);
		if (node.isTextual()) {
			return node.textValue();
		}
		if (node.isIntegralNumber()) {
			return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
		}
		if (node.isFloatingPointNumber()) {
			return node.decimalValue();
		}
		if (node.isBoolean()) {
			return node.booleanValue();
		}
		throw invalid(token, "its field '" + field + "' is not a string, number or boolean", null);
	}

	/**
	 * Converts a cursor value to the type of the property it is compared with, the
	 * reverse of how {@link #encode(Cursor)} wrote it.
	 * @throws IllegalArgumentException if the value cannot be one of that type
	 */
	static Object convert(Object value, Class<?> type) {
		Class<?> target = ClassUtils.resolvePrimitiveIfNecessary(type);
		return target.isInstance(value) ? value : json.convertValue(value, target);
	}

	private static int checksum(byte[] bytes, int length) {
		CRC32 crc = new CRC32();
		crc.update(bytes, 0, length);
		return (int) crc.getValue();
	}

	private static InvalidCursorException invalid(String token, String reason, @Nullable Throwable cause) {
		String shown = (token.length() > 40) ? token.substring(0, 40) + "..." : token;
		String message = "Invalid cursor '" + shown + "': " + reason;
		return (cause != null) ? new InvalidCursorException(message, cause) : new InvalidCursorException(message);
	}

}
