package dev.protevus.sample.bookstore;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Makes requests that the bookstore must refuse with a 4xx, from a seed, so that a
 * failing run repeats exactly. Every request is bad by construction, never by luck: ids
 * that Spring would still parse as numbers (hex with {@code 0x} or {@code #}, surrounding
 * spaces, non-ASCII digits), enum values that match but for case or spaces, and empty
 * parameters that mean "use the default" are never generated. Each category draws from
 * its own {@link Random}, so the requests of one category do not depend on which other
 * categories run.
 */
final class BadRequestGenerator {

	private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";

	private static final String LETTERS = LOWER + LOWER.toUpperCase(Locale.ROOT);

	private static final String DIGITS = "0123456789";

	private static final String BASE64URL = LETTERS + DIGITS + "-_";

	private static final String STRUCTURAL = "{}[]:,\"";

	/**
	 * Characters that have no place in an id, an enum or a relation name, sent
	 * percent-encoded.
	 */
	private static final String[] ODD_CHARACTERS = { "\u0000", " ", "\"", "<", ">", "%", "{", "}", "|", "\\", "^", "`",
			"'", ";", "/", "?", "é", "中", "\uD83D\uDCDA", "\u007F", "\n" };

	/**
	 * Larger than {@code spring.http.codecs.max-in-memory-size} in the sample's
	 * application.yml.
	 */
	private static final int MAX_BODY_BYTES = 512 * 1024;

	/**
	 * {@code server.max-http-request-header-size} and Netty's initial line limit: 8KB and
	 * 4KB.
	 */
	private static final int MAX_HEADER_BYTES = 8 * 1024;

	private static final int MAX_REQUEST_LINE_BYTES = 4 * 1024;

	private static final int BOOKS = 200;

	private static final int AUTHORS = 40;

	private final long seed;

	private final String ascendingCursor;

	private final String descendingCursor;

	private Random random;

	/**
	 * @param seed the seed of every category's generator
	 * @param ascendingCursor a valid {@code next} token of {@code GET /books?order=ASC}
	 * @param descendingCursor a valid {@code next} token of {@code GET /books?order=DESC}
	 */
	BadRequestGenerator(long seed, String ascendingCursor, String descendingCursor) {
		this.seed = seed;
		this.ascendingCursor = ascendingCursor;
		this.descendingCursor = descendingCursor;
	}

	/**
	 * The same requests for the same seed, category and count.
	 */
	List<BadRequest> generate(Category category, int count) {
		this.random = new Random(this.seed * 31 + category.ordinal());
		List<BadRequest> requests = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			requests.add(next(category));
		}
		return requests;
	}

	private BadRequest next(Category category) {
		return switch (category) {
			case MALFORMED_JSON -> malformedJson();
			case WRONG_TYPE -> wrongType();
			case INVALID_VALUE -> invalidValue();
			case BAD_ID -> badId();
			case BAD_PAGE_SIZE -> get(category, "/books?limit=" + encode(badPageSize()) + maybeOrder());
			case UNKNOWN_ENUM_VALUE -> get(category, "/books?order=" + encode(unknownOrder()));
			case BAD_CURSOR -> badCursor();
			case BAD_INCLUDE -> get(category, "/authors?" + badIncludes());
			case UNKNOWN_PATH -> get(category, unknownPath());
			case WRONG_METHOD -> wrongMethod();
			case UNSUPPORTED_MEDIA_TYPE -> unsupportedMediaType();
			case NOT_ACCEPTABLE -> notAcceptable();
			case OVERSIZED_BODY -> oversizedBody();
			case OVERSIZED_HEADERS -> oversizedHeaders();
			case OVERLONG_URI -> get(category, overlongUri());
		};
	}

	// Bodies

	private BadRequest malformedJson() {
		Endpoint endpoint = bodyEndpoint();
		if (this.random.nextInt(6) == 0) {
			return endpoint.request(Category.MALFORMED_JSON, invalidUtf8(), this);
		}
		String valid = endpoint.body(json(validBook()), this);
		String body = pick(() -> truncate(valid), () -> replaceStructuralCharacter(valid),
				() -> valid + pick("}", "]", ",", "x", "{}", "\"", "null", " 1", "[]"), this::notJson,
				() -> deeplyNested(endpoint));
		return endpoint.request(Category.MALFORMED_JSON, body, this);
	}

	private String truncate(String valid) {
		return valid.substring(0, between(0, valid.length() - 1));
	}

	private String replaceStructuralCharacter(String valid) {
		List<Integer> positions = new ArrayList<>();
		for (int i = 0; i < valid.length(); i++) {
			if (STRUCTURAL.indexOf(valid.charAt(i)) >= 0) {
				positions.add(i);
			}
		}
		int position = positions.get(this.random.nextInt(positions.size()));
		String others = STRUCTURAL.replace(String.valueOf(valid.charAt(position)), "");
		return valid.substring(0, position) + others.charAt(this.random.nextInt(others.length()))
				+ valid.substring(position + 1);
	}

	private String notJson() {
		return pick("{'authorId': 1, 'title': 'Single Quotes'}", "{authorId: 1, title: \"Bare Keys\"}",
				"{\"authorId\": 1, /* comment */ \"title\": \"Comment\"}", "{\"authorId\": NaN, \"title\": \"NaN\"}",
				"{\"authorId\": 0x1F, \"title\": \"Hex\"}", "{\"authorId\": 01, \"title\": \"Leading Zero\"}",
				"{\"authorId\": +1, \"title\": \"Plus\"}", "{\"authorId\": 1, \"title\": \"Trailing Comma\",}",
				"{\"authorId\": 1, \"title\": \"Raw\ttab\"}", "{\"authorId\": 1, \"title\": \"Bad \\q escape\"}",
				"{\"authorId\": 1, \"title\": \"Short \\u12 escape\"}", "{\"authorId\": Infinity, \"title\": \"Inf\"}",
				"<book><authorId>1</authorId></book>", "authorId=1&title=Form", "{\"authorId\" 1}", "",
				randomText(between(1, 200), LETTERS + DIGITS + STRUCTURAL + " \t\n\\/'#"));
	}

	private String deeplyNested(Endpoint endpoint) {
		int depth = between(1_001, 3_000);
		String nested = pick(() -> "[".repeat(depth), () -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
		return endpoint.body("{\"authorId\": 1, \"title\": \"Deep\", \"extra\": " + nested + "}", this);
	}

	private byte[] invalidUtf8() {
		byte[] invalid = pick(new byte[] { (byte) 0xC3, 0x28 }, new byte[] { (byte) 0xFF, (byte) 0xFE },
				new byte[] { (byte) 0xE2, (byte) 0x82 }, new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 });
		return concat("{\"authorId\": 1, \"title\": \"".getBytes(StandardCharsets.UTF_8), invalid,
				"\"}".getBytes(StandardCharsets.UTF_8));
	}

	private BadRequest wrongType() {
		Endpoint endpoint = bodyEndpoint();
		if (endpoint == Endpoint.CREATE_MANY && this.random.nextInt(4) == 0) {
			String body = pick(() -> json(validBook()), () -> "[" + pick("1", "\"book\"", "[]", "true", "[[]]") + "]",
					() -> "{\"books\": [" + json(validBook()) + "]}");
			return endpoint.request(Category.WRONG_TYPE, body, this);
		}
		Map<String, String> book = validBook();
		String field = pick("authorId", "title", "isbn", "publishedYear", "price");
		book.put(field, switch (field) {
			case "authorId" -> pick("\"1\"", "\"abc\"", "true", "false", "1.5", "1e3", "[]", "[1]", "{}",
					"9223372036854775808", "-9223372036854775809", "\"\"");
			case "title", "isbn" ->
				pick("5", "9780000000000", "1.5", "true", "[]", "[\"Title\"]", "{}", "{\"text\": \"Title\"}");
			case "publishedYear" -> pick("\"2000\"", "2000.5", "2.0E3", "true", "[]", "{}", "99999999999", "\"MMXX\"");
			default -> pick("\"12.50\"", "true", "[]", "{}", "\"NaN\"", "\"free\"");
		});
		return endpoint.request(Category.WRONG_TYPE, endpoint.body(json(book), this), this);
	}

	private BadRequest invalidValue() {
		Endpoint endpoint = bodyEndpoint();
		if (endpoint == Endpoint.CREATE_MANY && this.random.nextInt(3) == 0) {
			String body = pick(() -> "[]", () -> books(between(1_001, 1_050)),
					() -> "[" + json(validBook()) + ", null]", () -> "[null]");
			return endpoint.request(Category.INVALID_VALUE, body, this);
		}
		Map<String, String> book = validBook();
		String field = pick("authorId", "title", "isbn", "publishedYear", "price");
		String value = switch (field) {
			case "authorId" ->
				pick(null, "null", "0", "-" + between(1, 1_000_000), String.valueOf(between(1_000, Integer.MAX_VALUE)));
			case "title" -> pick(null, "null", "\"\"", "\"" + " ".repeat(between(1, 20)) + "\"",
					"\"" + randomText(between(301, 400), LETTERS) + "\"",
					"\"Con\\u00" + pick("00", "01", "07", "1B", "1F", "7F") + "trol\"", "\"Tab\\tbed\"");
			case "isbn" -> pick("\"\"", "\"" + randomText(between(1, 9), DIGITS) + "\"",
					"\"" + randomText(between(18, 30), DIGITS) + "\"", "\"" + randomText(between(10, 17), LOWER) + "\"",
					"\"978 0000 0000\"");
			case "publishedYear" -> String.valueOf(pick(() -> between(-5_000, 1_449), () -> between(2_101, 1_000_000)));
			default -> pick(() -> "-" + between(0, 1_000) + ".0" + between(1, 9), () -> randomText(9, "123456789"),
					() -> between(0, 999) + "." + randomText(between(3, 6), "123456789"));
		};
		if (value == null) {
			book.remove(field);
		}
		else {
			book.put(field, value);
		}
		return endpoint.request(Category.INVALID_VALUE, endpoint.body(json(book), this), this);
	}

	private Map<String, String> validBook() {
		Map<String, String> book = new LinkedHashMap<>();
		book.put("authorId", String.valueOf(between(1, AUTHORS)));
		book.put("title",
				"\"" + randomText(between(1, 12), LETTERS) + " " + randomText(between(1, 12), LETTERS) + "\"");
		if (this.random.nextBoolean()) {
			book.put("isbn", "\"978-" + randomText(10, DIGITS) + "\"");
		}
		if (this.random.nextBoolean()) {
			book.put("publishedYear", String.valueOf(between(1_450, 2_100)));
		}
		if (this.random.nextBoolean()) {
			book.put("price", between(0, 999) + "." + randomText(2, DIGITS));
		}
		return book;
	}

	private String books(int count) {
		List<String> books = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			books.add(json(validBook()));
		}
		return "[" + String.join(",", books) + "]";
	}

	private static String json(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map((field) -> "\"" + field.getKey() + "\":" + field.getValue())
			.collect(Collectors.joining(",", "{", "}"));
	}

	private Endpoint bodyEndpoint() {
		return pick(Endpoint.CREATE, Endpoint.REPLACE, Endpoint.CREATE_MANY);
	}

	// Parameters

	private BadRequest badId() {
		String id = pick(() -> randomText(between(1, 20), LETTERS), () -> "9" + randomText(between(19, 39), DIGITS),
				() -> pick("0", "-0", "00"), () -> "-" + between(1, Integer.MAX_VALUE),
				() -> between(0, 999) + "." + between(0, 999), () -> between(1, 9) + "e" + between(1, 9),
				() -> between(1, 9) + pick("_", ",", "-", "+", "*") + between(0, 999),
				() -> randomText(between(1, 5), LETTERS) + encode(pick(ODD_CHARACTERS))
						+ randomText(between(0, 5), LETTERS),
				() -> String.valueOf(between(1_000_000, Integer.MAX_VALUE)));
		return pick(() -> get(Category.BAD_ID, "/books/" + id), () -> get(Category.BAD_ID, "/authors/" + id),
				() -> get(Category.BAD_ID, "/authors/" + id + "/books"),
				() -> request(Category.BAD_ID, HttpMethod.PUT, "/books/" + id, jsonHeaders(), json(validBook())));
	}

	private String badPageSize() {
		return pick(() -> "0", () -> "-" + between(1, Integer.MAX_VALUE),
				() -> String.valueOf(between(201, Integer.MAX_VALUE)), () -> "9" + randomText(between(10, 30), DIGITS),
				() -> between(1, 99) + "." + between(1, 9), () -> between(1, 9) + "e" + between(1, 3),
				() -> randomText(between(1, 10), LETTERS),
				() -> between(1, 9) + encode(oddCharacterButWhitespace()) + between(1, 9));
	}

	private String oddCharacterButWhitespace() {
		// Spring strips all whitespace from a number before parsing it: "1 2" is 12.
		String odd;
		do {
			odd = pick(ODD_CHARACTERS);
		}
		while (odd.isBlank());
		return odd;
	}

	private String maybeOrder() {
		return pick("", "&order=ASC", "&order=DESC");
	}

	private String unknownOrder() {
		String order;
		do {
			order = pick(() -> randomText(between(1, 12), LETTERS + DIGITS), () -> randomText(between(1, 3), LETTERS)
					+ pick(ODD_CHARACTERS) + randomText(between(1, 3), LETTERS));
		}
		while (order.equalsIgnoreCase("asc") || order.equalsIgnoreCase("desc"));
		return order;
	}

	private BadRequest badCursor() {
		boolean descending = this.random.nextBoolean();
		String valid = descending ? this.descendingCursor : this.ascendingCursor;
		String ownOrder = descending ? "&order=DESC" : "";
		String otherOrder = descending ? "" : "&order=DESC";
		String query = pick(() -> encode(randomText(between(1, 2_000), BASE64URL)) + ownOrder,
				() -> flipOneCharacter(valid) + ownOrder,
				() -> valid.substring(0, between(1, valid.length() - 1)) + ownOrder,
				() -> valid + randomText(between(1, 20), BASE64URL) + ownOrder, () -> valid + otherOrder,
				() -> encode(randomText(between(1, 60), LETTERS + DIGITS + "!$&()*+,;=:@ ~.") + pick(ODD_CHARACTERS)),
				() -> randomText(between(2_049, 3_500), BASE64URL));
		return get(Category.BAD_CURSOR, "/books?after=" + query);
	}

	private String flipOneCharacter(String cursor) {
		// Not the last character: some of its bits may be padding that decoding ignores.
		int position = between(0, cursor.length() - 2);
		String others = BASE64URL.replace(String.valueOf(cursor.charAt(position)), "");
		return cursor.substring(0, position) + others.charAt(this.random.nextInt(others.length()))
				+ cursor.substring(position + 1);
	}

	private String badIncludes() {
		String include = pick(this::unknownRelation, () -> "books." + unknownRelation(),
				() -> "books.reviews." + randomText(between(1, 10), LOWER),
				() -> pick("Books", "BOOKS", "books.Reviews"),
				() -> pick(".", "..", "books.", ".books", "books..reviews", ",", "books,,", " ", "books. reviews"),
				// Spring trims each name, so the letters before the odd character are no
				// relation's.
				() -> unknownRelation() + pick(ODD_CHARACTERS) + randomText(between(0, 6), LOWER),
				() -> pick("books", "reviews") + between(0, 99), () -> "books" + ".books".repeat(between(1, 50)));
		String query = "include=" + encode(include);
		return pick(() -> query, () -> "include=books&" + query, () -> query + "&include=books.reviews");
	}

	private String unknownRelation() {
		String name;
		do {
			name = randomText(between(1, 12), LOWER);
		}
		while (name.equals("books") || name.equals("reviews"));
		return name;
	}

	// Requests no handler of the sample takes

	private String unknownPath() {
		String segment = randomText(between(1, 12), LOWER);
		return pick(() -> "/" + ("books authors actuator cart".contains(segment) ? "x" + segment : segment),
				() -> "/books/" + between(1, BOOKS) + "/"
						+ ("quote reviews".contains(segment) ? "x" + segment : segment),
				() -> "/authors/" + between(1, AUTHORS) + "/"
						+ ("books report".contains(segment) ? "x" + segment : segment),
				() -> "/books/" + between(1, BOOKS) + "/", () -> "/BOOKS", () -> "/Authors/" + between(1, AUTHORS),
				() -> "/books/batch/" + segment,
				() -> "/authors/" + between(1, AUTHORS) + "/books/" + between(1, BOOKS));
	}

	private BadRequest wrongMethod() {
		HttpMethod method = pick(HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.POST, HttpMethod.PUT,
				HttpMethod.valueOf("BREW"));
		String path = switch (method.name()) {
			case "POST" -> pick("/books/" + between(1, BOOKS), "/authors", "/authors/" + between(1, AUTHORS));
			case "PUT" -> pick("/books", "/authors", "/authors/" + between(1, AUTHORS) + "/books");
			default -> pick("/books", "/books/" + between(1, BOOKS), "/authors", "/authors/" + between(1, AUTHORS),
					"/books/batch");
		};
		boolean withBody = method != HttpMethod.DELETE && this.random.nextBoolean();
		return withBody ? request(Category.WRONG_METHOD, method, path, jsonHeaders(), json(validBook()))
				: request(Category.WRONG_METHOD, method, path, new HttpHeaders(), null);
	}

	private BadRequest unsupportedMediaType() {
		Endpoint endpoint = bodyEndpoint();
		HttpHeaders headers = new HttpHeaders();
		String contentType = pick(null, "text/plain", "application/xml", "text/xml",
				"application/x-www-form-urlencoded", "multipart/form-data; boundary=book", "application/octet-stream",
				"image/png", "text/json", "application/jsonx", "json", "application/", "applica tion/json", "/",
				";charset=UTF-8");
		if (contentType != null) {
			headers.set(HttpHeaders.CONTENT_TYPE, contentType);
		}
		return request(Category.UNSUPPORTED_MEDIA_TYPE, endpoint.method, endpoint.path(this), headers,
				endpoint.body(json(validBook()), this));
	}

	private BadRequest notAcceptable() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.ACCEPT, pick("application/xml", "text/html", "text/csv", "image/png", "application/pdf",
				"text/plain", "application/problem+xml", "garbage/", "/", "text/", "*/json;q=x"));
		String path = pick("/books/" + between(1, BOOKS), "/authors/" + between(1, AUTHORS), "/books?limit=5",
				"/authors/" + between(1, AUTHORS) + "/books");
		return request(Category.NOT_ACCEPTABLE, HttpMethod.GET, path, headers, null);
	}

	private BadRequest oversizedBody() {
		Endpoint endpoint = bodyEndpoint();
		int size = MAX_BODY_BYTES + between(1, 64 * 1024);
		String body;
		if (endpoint == Endpoint.CREATE_MANY) {
			StringBuilder books = new StringBuilder("[");
			while (books.length() < size) {
				books.append(json(validBook())).append(',');
			}
			body = books.append(json(validBook())).append(']').toString();
		}
		else {
			body = "{\"authorId\": 1, \"title\": \"" + randomText(size, LETTERS) + "\"}";
		}
		return endpoint.request(Category.OVERSIZED_BODY, body, this);
	}

	private BadRequest oversizedHeaders() {
		HttpHeaders headers = new HttpHeaders();
		int total = MAX_HEADER_BYTES + between(256, 32 * 1024);
		int count = between(1, 8);
		for (int i = 0; i < count; i++) {
			headers.set("X-Padding-" + i, randomText(total / count, LETTERS));
		}
		String path = pick("/books/" + between(1, BOOKS), "/authors", "/books?limit=3");
		return request(Category.OVERSIZED_HEADERS, HttpMethod.GET, path, headers, null);
	}

	private String overlongUri() {
		int length = MAX_REQUEST_LINE_BYTES + between(16, 8 * 1024);
		return pick(() -> "/books?after=" + randomText(length, BASE64URL),
				() -> "/authors?include=" + "books.".repeat(length / 6) + "reviews",
				() -> "/books/" + randomText(length, DIGITS), () -> "/" + randomText(length, LOWER));
	}

	// Helpers

	private BadRequest get(Category category, String uri) {
		return request(category, HttpMethod.GET, uri, new HttpHeaders(), null);
	}

	private BadRequest request(Category category, HttpMethod method, String uri, HttpHeaders headers, String body) {
		return new BadRequest(category, method, uri, headers,
				(body != null) ? body.getBytes(StandardCharsets.UTF_8) : null);
	}

	private static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] all = new byte[length];
		int offset = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, all, offset, part.length);
			offset += part.length;
		}
		return all;
	}

	private static HttpHeaders jsonHeaders() {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		return headers;
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private String randomText(int length, String alphabet) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append(alphabet.charAt(this.random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

	private int between(int min, int max) {
		return min + this.random.nextInt(max - min + 1);
	}

	@SafeVarargs
	private <T> T pick(T... choices) {
		return choices[this.random.nextInt(choices.length)];
	}

	@SafeVarargs
	private <T> T pick(Supplier<? extends T>... choices) {
		return choices[this.random.nextInt(choices.length)].get();
	}

	/**
	 * The endpoints that take a book or a list of books.
	 */
	private enum Endpoint {

		CREATE(HttpMethod.POST), REPLACE(HttpMethod.PUT), CREATE_MANY(HttpMethod.POST);

		private final HttpMethod method;

		Endpoint(HttpMethod method) {
			this.method = method;
		}

		String path(BadRequestGenerator generator) {
			return switch (this) {
				case CREATE -> "/books";
				case REPLACE -> "/books/" + generator.between(1, BOOKS);
				case CREATE_MANY -> "/books/batch";
			};
		}

		/**
		 * A body for this endpoint around one book: the book alone, or among valid ones
		 * in a list.
		 */
		String body(String book, BadRequestGenerator generator) {
			if (this != CREATE_MANY) {
				return book;
			}
			List<String> books = new ArrayList<>();
			for (int i = generator.between(0, 3); i > 0; i--) {
				books.add(json(generator.validBook()));
			}
			books.add(generator.between(0, books.size()), book);
			return "[" + String.join(",", books) + "]";
		}

		BadRequest request(Category category, String body, BadRequestGenerator generator) {
			return request(category, body.getBytes(StandardCharsets.UTF_8), generator);
		}

		BadRequest request(Category category, byte[] body, BadRequestGenerator generator) {
			return new BadRequest(category, this.method, path(generator), jsonHeaders(), body);
		}

	}

	/**
	 * What is wrong with a request, and so who should refuse it.
	 */
	enum Category {

		/** Bodies that are not JSON, or not only JSON. */
		MALFORMED_JSON(RefusedBy.HANDLER),

		/**
		 * JSON with a value of the wrong type: a string for a number, a number for a
		 * string.
		 */
		WRONG_TYPE(RefusedBy.HANDLER),

		/**
		 * Well-typed values the constraints refuse, unknown authors and batches of bad
		 * sizes.
		 */
		INVALID_VALUE(RefusedBy.HANDLER),

		/** Ids that are not positive numbers, or are too large, or are unknown. */
		BAD_ID(RefusedBy.HANDLER),

		/** {@code limit} below 1, above 200, or not an integer. */
		BAD_PAGE_SIZE(RefusedBy.HANDLER),

		/** {@code order} that is neither {@code ASC} nor {@code DESC}. */
		UNKNOWN_ENUM_VALUE(RefusedBy.HANDLER),

		/**
		 * {@code after} tokens that are garbage, edited, truncated, too long or for the
		 * other order.
		 */
		BAD_CURSOR(RefusedBy.HANDLER),

		/** {@code include} paths that are unknown or are not dot-separated names. */
		BAD_INCLUDE(RefusedBy.HANDLER),

		/** Paths that no handler maps. */
		UNKNOWN_PATH(RefusedBy.WEBFLUX),

		/** Methods that a path does not take. */
		WRONG_METHOD(RefusedBy.WEBFLUX),

		/** Bodies in, or claiming, a media type other than JSON. */
		UNSUPPORTED_MEDIA_TYPE(RefusedBy.WEBFLUX),

		/** {@code Accept} headers that no JSON answer satisfies, or that do not parse. */
		NOT_ACCEPTABLE(RefusedBy.WEBFLUX),

		/** Bodies larger than {@code spring.http.codecs.max-in-memory-size}. */
		OVERSIZED_BODY(RefusedBy.WEBFLUX),

		/** Headers larger than {@code server.max-http-request-header-size} in all. */
		OVERSIZED_HEADERS(RefusedBy.NETTY),

		/** Request lines longer than Netty's initial line limit. */
		OVERLONG_URI(RefusedBy.NETTY);

		private final RefusedBy refusedBy;

		Category(RefusedBy refusedBy) {
			this.refusedBy = refusedBy;
		}

		RefusedBy refusedBy() {
			return this.refusedBy;
		}

	}

	/**
	 * Where a request is refused.
	 */
	enum RefusedBy {

		/**
		 * The sample's handler methods, their arguments' validation, or the data layer
		 * they call.
		 */
		HANDLER,

		/**
		 * WebFlux, before any handler method runs: routing, content negotiation, decoding
		 * limits.
		 */
		WEBFLUX,

		/**
		 * Netty's HTTP decoder, before Spring sees the request, so no problem body can be
		 * written.
		 */
		NETTY

	}

}
