/**
 * What the gateway answers itself rather than forwarding: {@code GET /ping} and every error it
 * produces, all in OpenWhisk's error shape {@code {"error": "...", "code": "<transaction id>"}}.
 * Such an answer is written only once the request's unread body has been read, when the headers
 * announce a body of at most 1 MiB, so that a kept-alive connection stays usable under Reactor Netty
 * 1.3.6 ({@link dev.hearth.gateway.local.ReadBeforeAnsweringFilter}). Larger or chunked bodies and
 * {@code Expect: 100-continue} are answered at once, unchanged, and keep reactor-netty#4361's
 * exposure: such a request pipelined behind another can still leave the connection unread.
 */
package dev.hearth.gateway.local;
