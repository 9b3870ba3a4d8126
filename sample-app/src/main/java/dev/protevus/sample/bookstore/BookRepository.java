package dev.protevus.sample.bookstore;

import org.springframework.data.r2dbc.repository.R2dbcRepository;

interface BookRepository extends R2dbcRepository<Book, Long> {

}
