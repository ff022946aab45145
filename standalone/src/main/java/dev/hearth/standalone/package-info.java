/**
 * The standalone platform: real Kafka (child JVM) and PostgreSQL (embedded binaries) plus every
 * Hearth service in one command, with its data in one directory.
 */
package dev.hearth.standalone;
