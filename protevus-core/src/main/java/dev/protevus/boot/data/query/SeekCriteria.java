package dev.protevus.boot.data.query;

import org.springframework.data.domain.Sort;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Criteria.CriteriaStep;

/**
 * The predicate that seeks past the last row read. {@link Criteria} cannot express the
 * row-value comparison {@code (sort, id) > (?, ?)}, so it is written as the equivalent
 * {@code sort >= ? AND (sort > ? OR id > ?)}: unlike the textbook
 * {@code sort > ? OR (sort = ? AND id > ?)}, its leading {@code sort >= ?} gives an index
 * on {@code (sort, id)} a range to start from, so the database skips straight to the page
 * and filters out only the rows that tie with the last one, instead of every row before
 * it. It is plain SQL, the same on every dialect.
 */
final class SeekCriteria {

	private SeekCriteria() {
	}

	static Criteria after(String sortProperty, String idProperty, Sort.Direction direction, Object sortValue,
			Object id) {
		boolean ascending = direction.isAscending();
		if (sortProperty.equals(idProperty)) {
			return beyond(Criteria.where(idProperty), ascending, id);
		}
		Criteria sameOrBeyond = ascending ? Criteria.where(sortProperty).greaterThanOrEquals(sortValue)
				: Criteria.where(sortProperty).lessThanOrEquals(sortValue);
		Criteria beyondSortOrTie = beyond(beyond(Criteria.where(sortProperty), ascending, sortValue).or(idProperty),
				ascending, id);
		return sameOrBeyond.and(beyondSortOrTie);
	}

	private static Criteria beyond(CriteriaStep property, boolean ascending, Object value) {
		return ascending ? property.greaterThan(value) : property.lessThan(value);
	}

}
