/**
 * The Hearth controller: the OpenWhisk REST API v1 ({@code /api/v1}), authentication, the entity and
 * activation store in PostgreSQL, the load balancer that picks an invoker, and the wait for results
 * of blocking invocations. One package per feature; {@code web} maps typed errors to HTTP in one place.
 */
package dev.hearth.controller;
