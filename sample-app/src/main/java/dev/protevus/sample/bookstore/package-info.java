/**
 * The Protevus sample: a bookstore of authors, books and reviews.
 */
package dev.protevus.sample.bookstore;
