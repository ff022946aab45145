/**
 * Artifacts (jars, model bundles): content-addressed by SHA-256, stored once each as a PostgreSQL
 * large object and moved as streams (see {@link dev.hearth.controller.artifact.ArtifactStore}).
 *
 * <p>Hearth's extension of the OpenWhisk API for large artifacts (see
 * {@link dev.hearth.controller.artifact.ArtifactController}):
 * <pre>
 * POST /api/v1/namespaces/{ns}/artifacts          body: the raw bytes
 *   Content-Type: application/octet-stream | application/zip
 *   X-Hearth-Digest: &lt;sha256 hex&gt;              optional; checked at the end, mismatch = 400, nothing stored
 *   201 {"digest": "&lt;sha256 hex&gt;", "size": n}
 *   413 past hearth.controller.artifact-upload-max-bytes (default 4GB), nothing stored
 * PUT /api/v1/namespaces/{ns}/actions/{name}      {"exec": {"kind": "djl:pytorch", "digest": "&lt;hex&gt;"}, ...}
 * </pre>
 * An action refers to an uploaded artifact with {@code exec.digest} instead of {@code exec.code};
 * only a namespace that stored the bytes itself may do so. A GET of an action always carries
 * {@code exec.digest} and {@code exec.size}, and {@code exec.code} only up to
 * {@code artifact-max-bytes}.
 */
package dev.hearth.controller.artifact;
