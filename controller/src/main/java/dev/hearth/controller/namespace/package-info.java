/**
 * Namespaces and authentication: HTTP Basic {@code uuid:key} checked against salted SHA-256 hashes
 * in constant time, the {@link dev.hearth.controller.namespace.Identity} handlers receive, the
 * {@code guest} namespace made on start, and {@code GET /api/v1/namespaces}.
 */
package dev.hearth.controller.namespace;
