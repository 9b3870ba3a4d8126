/**
 * Auto-configuration for Protevus: the master switch and the root configuration. Features
 * live in sub-packages, one each.
 */
@NonNullApi
package dev.protevus.boot.autoconfigure;

import org.springframework.lang.NonNullApi;
