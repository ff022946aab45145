/** The JSON records on Kafka topics, one per topic kind, each with a schema version. */
package dev.hearth.common.message;
