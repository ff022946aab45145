/**
 * The HTTP side of the CLI: {@link dev.hearth.cli.api.ApiClient} sends OpenWhisk REST v1 requests
 * with HTTP Basic auth and turns error bodies ({@code {"error","code"}}) and unreachable hosts into
 * {@link dev.hearth.cli.CliException}s; {@link dev.hearth.cli.api.EntityName} parses and encodes
 * entity names.
 */
package dev.hearth.cli.api;
