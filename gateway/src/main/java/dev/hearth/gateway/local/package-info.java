/**
 * What the gateway answers itself rather than forwarding: {@code GET /ping} and every error it
 * produces, all in OpenWhisk's error shape {@code {"error": "...", "code": "<transaction id>"}}.
 * Such an answer is written only once the request's unread body has been read (up to 1 MiB; past
 * that the connection is closed), so that a kept-alive connection stays usable
 * ({@link dev.hearth.gateway.local.ReadBeforeAnsweringFilter}).
 */
package dev.hearth.gateway.local;
