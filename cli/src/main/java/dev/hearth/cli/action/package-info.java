/**
 * {@code hearth action create|update|get|list|delete|invoke}: actions as OpenWhisk entities under
 * {@code /api/v1/namespaces/{ns}/actions}. {@link dev.hearth.cli.action.KeyValues} parses
 * {@code -p}/{@code -a} pairs the way wsk does, {@link dev.hearth.cli.action.ActionBody} builds the
 * PUT body from an artifact.
 */
package dev.hearth.cli.action;
