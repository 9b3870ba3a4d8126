/**
 * Auto-configuration for Protevus: the master switch and the root configuration. Features
 * live in sub-packages, one each.
 */
package dev.protevus.boot.autoconfigure;
