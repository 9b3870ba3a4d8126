package dev.protevus.sample.bookstore;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.WebSession;

/**
 * A cart kept in the visitor's {@code WebSession}, the sample's one piece of session
 * state. With the {@code distributed} profile sessions live in Redis, so a cart filled
 * through one instance is read through any other (docs/horizontal-scaling.md).
 */
@RestController
@RequestMapping("/cart")
class CartController {

	private static final String BOOK_IDS = "cart.bookIds";

	private static final int MAX_ITEMS = 50;

	private final BookCatalog catalog;

	CartController(BookCatalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping
	Cart get(WebSession session) {
		return new Cart(bookIds(session));
	}

	@PostMapping("/items")
	Mono<Cart> add(WebSession session, @Valid @RequestBody NewCartItem item) {
		return this.catalog.find(item.bookId())
			.switchIfEmpty(Mono
				.error(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST, "No book with id " + item.bookId())))
			.map((book) -> {
				// A new list each time: the session store sees a changed attribute.
				List<Long> bookIds = new ArrayList<>(bookIds(session));
				if (bookIds.size() >= MAX_ITEMS) {
					throw new ResponseStatusException(HttpStatus.CONFLICT,
							"The cart holds " + MAX_ITEMS + " books at most");
				}
				bookIds.add(book.id());
				session.getAttributes().put(BOOK_IDS, bookIds);
				return new Cart(List.copyOf(bookIds));
			});
	}

	private static List<Long> bookIds(WebSession session) {
		List<Long> bookIds = session.getAttribute(BOOK_IDS);
		return (bookIds != null) ? bookIds : List.of();
	}

}
