package dev.protevus.sample.bookstore;

import java.math.BigDecimal;

/**
 * The price of a book as the pricing service quotes it, with the instance that answered.
 */
record Quote(long bookId, BigDecimal price, String currency, String servedBy) {
}
