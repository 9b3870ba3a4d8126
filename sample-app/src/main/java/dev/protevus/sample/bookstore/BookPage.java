package dev.protevus.sample.bookstore;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One page of {@code GET /books}: pass {@code next} as {@code after} to get the following
 * one.
 */
public record BookPage(List<Book> items, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
}
