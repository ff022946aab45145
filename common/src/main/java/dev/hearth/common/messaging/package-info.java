/** The messaging port (producer, consumer, topics) and the feed thread that drives a consumer. */
package dev.hearth.common.messaging;
