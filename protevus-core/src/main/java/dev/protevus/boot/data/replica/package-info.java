/**
 * Read replicas, usable without auto-configuration: a routing connection factory that
 * sends read-only work to a replica chosen in turn among those up and close enough to the
 * primary, and everything else to the primary; the explicit operator that asks for a
 * replica; and the transaction manager that makes {@code @Transactional(readOnly = true)}
 * route.
 */
@NonNullApi
package dev.protevus.boot.data.replica;

import org.springframework.lang.NonNullApi;
