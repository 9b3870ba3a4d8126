package dev.protevus.sample.bookstore;

import org.springframework.data.r2dbc.repository.R2dbcRepository;

interface AuthorRepository extends R2dbcRepository<Author, Long> {

}
