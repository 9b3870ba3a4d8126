-- Seed data: 40 authors, 200 books, 400 reviews. Portable between H2 and PostgreSQL, and
-- idempotent: each table is filled only while it is empty.

INSERT INTO authors (name, country)
SELECT 'Author ' || (t.n * 10 + u.n + 1),
       CASE MOD(u.n, 4) WHEN 0 THEN 'United Kingdom' WHEN 1 THEN 'France' WHEN 2 THEN 'Japan' ELSE 'Brazil' END
FROM (VALUES (0), (1), (2), (3)) AS t (n)
CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS u (n)
WHERE NOT EXISTS (SELECT 1 FROM authors)
ORDER BY t.n, u.n;

INSERT INTO books (author_id, title, isbn, published_year, price)
SELECT a.id,
       k.title,
       '978-' || LPAD(CAST(a.id * 10 + k.n AS VARCHAR(10)), 9, '0'),
       1950 + MOD(a.id * 7 + k.n * 3, 75),
       CAST(MOD(a.id * 13 + k.n * 7, 40) + 5.99 AS NUMERIC(10, 2))
FROM authors a
CROSS JOIN (VALUES (1, 'The Quiet River'), (2, 'Letters from Nowhere'), (3, 'A Map of Small Things'),
                   (4, 'The Last Lighthouse'), (5, 'Winter Arithmetic')) AS k (n, title)
WHERE NOT EXISTS (SELECT 1 FROM books)
ORDER BY a.id, k.n;

INSERT INTO reviews (book_id, rating, body)
SELECT b.id, 1 + MOD(b.id + r.n, 5), r.body
FROM books b
CROSS JOIN (VALUES (1, 'Could not put it down.'), (2, 'Slow start, strong finish.')) AS r (n, body)
WHERE NOT EXISTS (SELECT 1 FROM reviews)
ORDER BY b.id, r.n;

-- Average ratings of the seeded reviews; later reviews keep them up to date (ReviewListener).
UPDATE books
SET average_rating = (SELECT CAST(AVG(CAST(r.rating AS NUMERIC(10, 2))) AS NUMERIC(3, 2))
                      FROM reviews r
                      WHERE r.book_id = books.id)
WHERE average_rating IS NULL
  AND EXISTS (SELECT 1 FROM reviews r WHERE r.book_id = books.id);
