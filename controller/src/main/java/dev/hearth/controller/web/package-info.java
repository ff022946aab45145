/**
 * HTTP plumbing shared by the API: the transaction id filter, the typed {@link
 * dev.hearth.controller.web.ApiException} hierarchy, and the one advice that maps it to OpenWhisk's
 * error body {@code {"error", "code"}}; plus bounded reading of request bodies.
 */
package dev.hearth.controller.web;
