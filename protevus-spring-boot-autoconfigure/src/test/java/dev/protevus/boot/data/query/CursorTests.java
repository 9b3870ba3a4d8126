package dev.protevus.boot.data.query;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.UUID;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import org.springframework.data.domain.Sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Cursor} tokens.
 */
class CursorTests {

	@Test
	void aTokenIsUrlSafeAndDecodesToTheSameCursor() {
		Cursor cursor = new Cursor("title", Sort.Direction.ASC, "Dune?&/+= ünïcode", 42L);
		String token = cursor.encode();
		assertThat(token).matches("[A-Za-z0-9_-]+");
		assertThat(Cursor.decode(token)).isEqualTo(cursor);
	}

	@Test
	void decodedValuesAreJsonScalarsThatConvertBackToThePropertyTypes() {
		Instant published = Instant.parse("2024-02-29T12:34:56.123456Z");
		UUID id = UUID.fromString("0b6c3f0e-8f0a-4b8e-9c1d-3f2a5e6d7c8b");
		Cursor decoded = Cursor.decode(new Cursor("publishedAt", Sort.Direction.DESC, published, id).encode());
		assertThat(decoded.direction()).isEqualTo(Sort.Direction.DESC);
		assertThat(decoded.sortValue()).isEqualTo("2024-02-29T12:34:56.123456Z");
		assertThat(CursorTokens.convert(decoded.sortValue(), Instant.class)).isEqualTo(published);
		assertThat(CursorTokens.convert(decoded.id(), UUID.class)).isEqualTo(id);
	}

	@Test
	void numbersAndDatesKeepTheirValue() {
		Cursor decoded = Cursor
			.decode(new Cursor("price", Sort.Direction.ASC, new BigDecimal("19.990"), Long.MAX_VALUE).encode());
		assertThat(decoded.sortValue()).isEqualTo(new BigDecimal("19.990"));
		assertThat(decoded.id()).isEqualTo(Long.MAX_VALUE);
		assertThat(CursorTokens.convert(decoded.id(), long.class)).isEqualTo(Long.MAX_VALUE);
		Cursor date = Cursor.decode(new Cursor("born", Sort.Direction.ASC, LocalDate.of(1819, 11, 22), 7).encode());
		assertThat(CursorTokens.convert(date.sortValue(), LocalDate.class)).isEqualTo(LocalDate.of(1819, 11, 22));
		assertThat(CursorTokens.convert(date.id(), Integer.class)).isEqualTo(7);
	}

	@Test
	void aValueThatIsNotAJsonScalarCannotBeEncoded() {
		Cursor cursor = new Cursor("tags", Sort.Direction.ASC, new String[] { "a", "b" }, 1L);
		assertThatIllegalArgumentException().isThrownBy(cursor::encode).withMessageContaining("sort value");
	}

	@Test
	void anEmptyTokenIsInvalid() {
		assertThatExceptionOfType(InvalidCursorException.class).isThrownBy(() -> Cursor.decode(""))
			.withMessage("Invalid cursor: the token is empty");
	}

	@Test
	void aTokenThatIsNotBase64UrlIsInvalid() {
		assertThatExceptionOfType(InvalidCursorException.class).isThrownBy(() -> Cursor.decode("abc+/=="))
			.withMessageContaining("not Base64URL");
	}

	@Test
	void anEditedTokenIsInvalid() {
		String token = new Cursor("id", Sort.Direction.ASC, 1234L, 1234L).encode();
		char[] edited = token.toCharArray();
		int middle = edited.length / 2;
		edited[middle] = (edited[middle] == 'A') ? 'B' : 'A';
		assertThatExceptionOfType(InvalidCursorException.class).isThrownBy(() -> Cursor.decode(new String(edited)))
			.withMessageContaining("truncated or edited");
	}

	@Test
	void aTruncatedTokenIsInvalid() {
		String token = new Cursor("title", Sort.Direction.ASC, "Dune", 42L).encode();
		assertThatExceptionOfType(InvalidCursorException.class)
			.isThrownBy(() -> Cursor.decode(token.substring(0, token.length() - 3)));
		assertThatExceptionOfType(InvalidCursorException.class).isThrownBy(() -> Cursor.decode("AAAA"))
			.withMessageContaining("too short");
	}

	@Test
	void anOverlongTokenIsInvalidWithoutBeingRead() {
		assertThatExceptionOfType(InvalidCursorException.class).isThrownBy(() -> Cursor.decode("A".repeat(5000)))
			.withMessageContaining("longer than 2048 characters");
	}

	@Test
	void aWellFormedTokenOfTheWrongShapeIsInvalid() {
		assertThatExceptionOfType(InvalidCursorException.class).isThrownBy(() -> Cursor.decode(token("[1, 2]")))
			.withMessageContaining("not hold a JSON object");
		assertThatExceptionOfType(InvalidCursorException.class)
			.isThrownBy(() -> Cursor.decode(token("{\"v\":2,\"p\":\"id\",\"d\":\"ASC\",\"s\":1,\"i\":1}")))
			.withMessageContaining("version");
		assertThatExceptionOfType(InvalidCursorException.class)
			.isThrownBy(() -> Cursor.decode(token("{\"v\":1,\"p\":\"id\",\"d\":\"UP\",\"s\":1,\"i\":1}")))
			.withMessageContaining("direction");
		assertThatExceptionOfType(InvalidCursorException.class)
			.isThrownBy(() -> Cursor.decode(token("{\"v\":1,\"p\":\"id\",\"d\":\"ASC\",\"s\":{\"x\":1},\"i\":1}")))
			.withMessageContaining("'s' is not a string, number or boolean");
		assertThatExceptionOfType(InvalidCursorException.class)
			.isThrownBy(() -> Cursor.decode(token("{\"v\":1,\"p\":\"id\",\"d\":\"ASC\",\"s\":1,\"i\":null}")));
		assertThatExceptionOfType(InvalidCursorException.class)
			.isThrownBy(() -> Cursor.decode(token("{\"v\":1,\"p\":\"id\",\"d\":\"ASC\",\"s\":1}")));
		assertThatExceptionOfType(InvalidCursorException.class)
			.isThrownBy(() -> Cursor.decode(token("{\"v\":1,\"p\":\"id\",\"d\":\"ASC\",\"s\":1,\"i\":1,\"i\":2}")));
		assertThatExceptionOfType(InvalidCursorException.class).isThrownBy(() -> Cursor.decode(token("{\"v\":1,")))
			.withMessageContaining("not hold a JSON document");
	}

	@Test
	void anInvalidCursorIsAnIllegalArgumentSoTheWebLayerCanAnswer400() {
		assertThat(new InvalidCursorException("bad")).isInstanceOf(IllegalArgumentException.class);
	}

	/**
	 * A token with a valid checksum around any payload, as a client that knew the format
	 * could forge.
	 */
	private static String token(String json) {
		byte[] payload = json.getBytes(StandardCharsets.UTF_8);
		CRC32 crc = new CRC32();
		crc.update(payload);
		byte[] bytes = ByteBuffer.allocate(payload.length + 4).put(payload).putInt((int) crc.getValue()).array();
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
