package dev.protevus.sample.bookstore;

import java.util.List;

/**
 * The books a visitor put in their cart, kept in their session.
 *
 * @param bookIds the books' ids, in the order they were added
 */
public record Cart(List<Long> bookIds) {
}
