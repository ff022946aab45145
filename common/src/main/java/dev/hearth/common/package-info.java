/**
 * Types shared by every Hearth service: ids, entity records (actions' exec and limits, activation
 * records), the JSON records carried on Kafka, the messaging port, and the HTTP client of the internal
 * hops. No Spring, no business logic.
 */
package dev.hearth.common;
