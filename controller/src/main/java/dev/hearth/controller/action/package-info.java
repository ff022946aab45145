/**
 * Actions: create, update (OpenWhisk's partial update and patch-version bump), read, list and delete;
 * validation of names, limits and exec kinds (a registry of {@link dev.hearth.controller.action.ExecKind}
 * beans: {@code java}, and {@code djl:pytorch} whose bundles the model module's validator checks);
 * per-kind memory ranges; the exec's artifact inline ({@code code}) or uploaded ({@code digest}),
 * stored once by SHA-256 in the artifact package; a cache for the invoke path.
 */
package dev.hearth.controller.action;
