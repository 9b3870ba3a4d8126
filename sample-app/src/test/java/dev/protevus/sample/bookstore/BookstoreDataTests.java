package dev.protevus.sample.bookstore;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relations, keyset pagination and batch inserts through the sample's HTTP API, on its
 * embedded defaults with a database of their own.
 */
@SampleServerTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"protevus.cache.file.directory=${java.io.tmpdir}/protevus-sample-test-${random.uuid}",
		"spring.r2dbc.url=r2dbc:h2:mem:///bookstore-data-${random.uuid}?options=DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE" })
class BookstoreDataTests {

	@Autowired
	private WebTestClient client;

	@Test
	void includeLoadsBooksAndTheirReviewsEagerly() {
		this.client.get()
			.uri("/authors?include=books,books.reviews")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.length()")
			.isEqualTo(40)
			.jsonPath("$[0].books.length()")
			.isEqualTo(5)
			.jsonPath("$[0].books[0].title")
			.isEqualTo("The Quiet River")
			.jsonPath("$[0].books[0].reviews.length()")
			.isEqualTo(2)
			.jsonPath("$[39].books[4].reviews[1].body")
			.isEqualTo("Slow start, strong finish.");
	}

	@Test
	void withoutIncludeRelationsAreLeftOut() {
		this.client.get().uri("/authors").exchange().expectBody().jsonPath("$[0].books").doesNotExist();
	}

	@Test
	void unknownIncludeIsA400ProblemListingTheValidRelations() {
		this.client.get()
			.uri("/authors?include=books,bokos")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value((detail) -> assertThat((String) detail).contains("bokos").doesNotContain("dev.protevus"))
			.jsonPath("$.validRelations[0]")
			.isEqualTo("books");
	}

	@Test
	void unknownNestedIncludeIsA400ProblemListingTheValidRelationsOfThatLevel() {
		this.client.get()
			.uri("/authors?include=books.revues")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.validRelations[0]")
			.isEqualTo("reviews");
	}

	@Test
	void includeThatIsNotDotSeparatedNamesIsA400Problem() {
		for (String include : new String[] { "books..reviews", ".books", ",", "books reviews" }) {
			this.client.get()
				.uri((uri) -> uri.path("/authors").queryParam("include", include).build())
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void authorsBooksLoadLazily() {
		this.client.get()
			.uri("/authors/3/books")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.length()")
			.isEqualTo(5)
			.jsonPath("$[0].authorId")
			.isEqualTo(3);
		this.client.get().uri("/authors/99999/books").exchange().expectStatus().isNotFound();
	}

	@Test
	void keysetPagesReturnEveryBookOnceInTitleOrder() {
		Set<Integer> ids = new HashSet<>();
		List<String> titles = new ArrayList<>();
		String next = null;
		int pages = 0;
		do {
			BookPage page = page((uri) -> uri.path("/books")
				.queryParam("limit", 30)
				.queryParamIfPresent("after", java.util.Optional.ofNullable(this.after))
				.build());
			page.items().forEach((book) -> {
				assertThat(ids.add(book.id().intValue())).as("book %s seen once", book.id()).isTrue();
				titles.add(book.title());
			});
			next = page.next();
			this.after = next;
			pages++;
		}
		while (next != null && pages < 100);
		assertThat(ids).hasSizeGreaterThanOrEqualTo(200);
		assertThat(titles).isSorted();
	}

	private String after;

	private BookPage page(Function<UriBuilder, URI> uri) {
		return this.client.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(BookPage.class)
			.returnResult()
			.getResponseBody();
	}

	@Test
	void descendingPagesTakeOnlyCursorsOfTheirOwnOrder() {
		BookPage first = page((uri) -> uri.path("/books").queryParam("order", "DESC").queryParam("limit", 5).build());
		assertThat(first.items()).extracting(Book::title).isSortedAccordingTo(java.util.Comparator.reverseOrder());
		this.client.get()
			.uri("/books?order=DESC&limit=5&after=" + first.next())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[0].title")
			.value((title) -> assertThat((String) title).isLessThanOrEqualTo(first.items().get(4).title()));
		this.client.get()
			.uri("/books?limit=5&after=" + first.next())
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value((detail) -> assertThat((String) detail).contains("DESC"));
	}

	@Test
	void unknownOrderIsA400Problem() {
		this.client.get()
			.uri("/books?order=SIDEWAYS")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void malformedCursorIsA400Problem() {
		this.client.get()
			.uri("/books?after=not-a-cursor")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void absurdPageSizesAreA400Problem() {
		this.client.get().uri("/books?limit=0").exchange().expectStatus().isBadRequest();
		this.client.get().uri("/books?limit=100000").exchange().expectStatus().isBadRequest();
		this.client.get().uri("/books?limit=-5").exchange().expectStatus().isBadRequest();
		this.client.get()
			.uri("/books?limit=201")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.maxLimit")
			.isEqualTo(200)
			.jsonPath("$.detail")
			.isEqualTo("The page size must be between 1 and 200, but was 201.");
		this.client.get().uri("/books?limit=200").exchange().expectStatus().isOk();
	}

	@Test
	void batchCreatesBooksWithTheirIdsInOrder() {
		List<Map<String, Object>> books = List.of(Map.of("authorId", 5, "title", "Batch One"),
				Map.of("authorId", 6, "title", "Batch Two"), Map.of("authorId", 5, "title", "Batch Three"));
		this.client.post()
			.uri("/books/batch")
			.bodyValue(books)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.length()")
			.isEqualTo(3)
			.jsonPath("$[0].title")
			.isEqualTo("Batch One")
			.jsonPath("$[2].title")
			.isEqualTo("Batch Three")
			.jsonPath("$[2].id")
			.value((id) -> assertThat(((Number) id).longValue()).isPositive());
	}

	@Test
	void batchWithAnInvalidBookIsA400ProblemAndInsertsNothing() {
		this.client.post()
			.uri("/books/batch")
			.bodyValue(List.of(Map.of("authorId", 5, "title", "Fine"), Map.of("authorId", 5, "title", " ")))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.post()
			.uri("/books/batch")
			.bodyValue(List.of(Map.of("authorId", 99999, "title", "Orphan")))
			.exchange()
			.expectStatus()
			.isBadRequest();
		this.client.post().uri("/books/batch").bodyValue(List.of()).exchange().expectStatus().isBadRequest();
		this.client.post()
			.uri("/books/batch")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("[{\"authorId\": 5, \"title\": \"Fine\"}, null]")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

}
