package dev.protevus.boot.data.statement;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the statement listeners need to know about SQL text: its kind, its shape (the same
 * statement whatever its parameters) and a form safe to log.
 *
 * @since 0.1.0
 */
public final class StatementText {

	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	private static final Pattern STRING_LITERAL = Pattern.compile("'(?:[^']|'')*'");

	private static final Pattern NUMBER_LITERAL = Pattern.compile("\\b\\d+(?:\\.\\d+)?\\b");

	private static final Pattern BIND_MARKER_LIST = Pattern
		.compile("(?:\\$\\d+|\\?|:\\w+)(?:\\s*,\\s*(?:\\$\\d+|\\?|:\\w+))*");

	private StatementText() {
	}

	/**
	 * The statement's kind, as a meter tag: select, insert, update, delete or other.
	 * @param sql the statement's text
	 * @return the kind
	 */
	public static String type(String sql) {
		String text = sql.stripLeading();
		int end = 0;
		while (end < text.length() && Character.isLetter(text.charAt(end))) {
			end++;
		}
		String keyword = text.substring(0, end).toLowerCase(Locale.ROOT);
		return switch (keyword) {
			case "select", "with" -> "select";
			case "insert", "update", "delete" -> keyword;
			default -> "other";
		};
	}

	/**
	 * The statement with literals and bind marker lists reduced, so that one query run
	 * with different values, or with IN lists of different lengths, has one shape.
	 * @param sql the statement's text
	 * @return its shape
	 */
	public static String shape(String sql) {
		String shape = STRING_LITERAL.matcher(sql).replaceAll("?");
		shape = BIND_MARKER_LIST.matcher(shape).replaceAll("?");
		shape = NUMBER_LITERAL.matcher(shape).replaceAll("?");
		return WHITESPACE.matcher(shape).replaceAll(" ").strip();
	}

	/**
	 * The statement with string literals masked and whitespace folded; bound parameters
	 * are never part of the text.
	 * @param sql the statement's text
	 * @return the text to log
	 */
	public static String loggable(String sql) {
		return WHITESPACE.matcher(STRING_LITERAL.matcher(sql).replaceAll("'***'")).replaceAll(" ").strip();
	}

}
