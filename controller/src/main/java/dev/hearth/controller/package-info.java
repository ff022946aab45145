/**
 * The Hearth controller: the OpenWhisk REST API v1 ({@code /api/v1}), authentication, the entity and
 * activation store in PostgreSQL, the load balancer that picks an invoker, and the wait for results
 * of blocking invocations. One package per feature; {@code web} maps typed errors to HTTP in one place.
 *
 * <h2>Hearth's extensions of the OpenWhisk API</h2>
 * <ul>
 *   <li>Kind {@code djl:pytorch}: a model bundle (see the model module), validated fully at
 *       create/update; {@code exec.main} not needed; memory defaults to the manifest's
 *       {@code memoryMb} and may go up to {@code hearth.controller.limits.memory.model-max}.</li>
 *   <li>Streaming upload of large artifacts: {@code POST /api/v1/namespaces/{ns}/artifacts}, the raw
 *       bytes as the body ({@code application/octet-stream} or {@code application/zip}), optional
 *       {@code X-Hearth-Digest: <sha256 hex>}; 201 {@code {"digest", "size"}}; 413 past
 *       {@code hearth.controller.artifact-upload-max-bytes} (4GB); 400 on a digest mismatch.</li>
 *   <li>{@code exec.digest} instead of {@code exec.code} in an action PUT refers to an artifact the
 *       namespace uploaded; an unknown one is 400 {@code The artifact <digest> has not been
 *       uploaded.}</li>
 *   <li>Every action document carries {@code exec.digest} and {@code exec.size}; {@code exec.code}
 *       only when the artifact is at most {@code hearth.controller.artifact-max-bytes}.</li>
 * </ul>
 * Details: {@link dev.hearth.controller.artifact}.
 */
package dev.hearth.controller;
