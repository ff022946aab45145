/**
 * Types shared by every Hearth service: ids, entity records (actions' exec and limits, activation
 * records), the JSON records carried on Kafka, and the messaging port. No Spring, no business logic.
 */
package dev.hearth.common;
