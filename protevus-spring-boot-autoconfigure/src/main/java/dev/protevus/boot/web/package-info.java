/**
 * Web support for WebFlux applications that Protevus features and applications share:
 * writing RFC 9457 problem details, and the order of Protevus's web filters.
 */
package dev.protevus.boot.web;
