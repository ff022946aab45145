/**
 * What the gateway answers itself rather than forwarding: {@code GET /ping} and every error it
 * produces, all in OpenWhisk's error shape {@code {"error": "...", "code": "<transaction id>"}}.
 */
package dev.hearth.gateway.local;
