/**
 * Actions: create, update (OpenWhisk's partial update and patch-version bump), read, list and delete;
 * validation of names, limits and exec kinds (a registry of {@link dev.hearth.controller.action.ExecKind}
 * beans, {@code java} for now); artifacts stored once by SHA-256; a cache for the invoke path.
 */
package dev.hearth.controller.action;
