package dev.hearth.controller.artifact;

import dev.hearth.common.json.Json;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.namespace.Identity;
import dev.hearth.controller.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hearth's streaming upload (an extension of OpenWhisk's API) for artifacts too large to travel as
 * base64 inside an action's JSON:
 * {@code POST /api/v1/namespaces/{ns}/artifacts} with the raw bytes as the body
 * ({@code application/octet-stream} or {@code application/zip}), optional header
 * {@value #DIGEST_HEADER} (the SHA-256 the content must have). The body goes from the request's
 * input stream into a large object; it is never buffered whole. Answers 201
 * {@code {"digest", "size"}} (also when the content was already stored), 413 past
 * {@code artifact-upload-max-bytes} (from {@code Content-Length} before reading, or mid-stream),
 * 400 on a digest mismatch (nothing stored), 503 when too many uploads run at once. An action then
 * refers to it with {@code "exec": {"kind": ..., "digest": "<hex>"}}; only a namespace that uploaded
 * (or stored inline) the bytes may refer to them.
 */
@RestController
class ArtifactController {
    static final String DIGEST_HEADER = "X-Hearth-Digest";

    private final ArtifactStore store;
    private final long maxBytes;
    private final Semaphore uploads;

    ArtifactController(ArtifactStore store, ControllerProperties properties) {
        this.store = store;
        this.maxBytes = properties.artifactUploadMaxBytes().toBytes();
        this.uploads = new Semaphore(properties.artifactUploadConcurrency());
    }

    @PostMapping(
            path = {"/api/v1/namespaces/{ns}/artifacts", "/api/v1/namespaces/{ns}/artifacts/"},
            consumes = {
                MediaType.APPLICATION_OCTET_STREAM_VALUE,
                "application/zip",
                "application/x-zip-compressed",
                "application/java-archive"
            })
    ResponseEntity<ObjectNode> upload(
            Identity identity,
            @PathVariable String ns,
            @RequestHeader(name = DIGEST_HEADER, required = false) String digestHeader,
            HttpServletRequest request) {
        String namespace = identity.resolve(ns);
        String expected =
                digestHeader == null || digestHeader.isBlank() ? null : Sha256.parse(digestHeader, DIGEST_HEADER);
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw new ApiException.TooLarge("Artifact", declared, maxBytes);
        }
        if (!uploads.tryAcquire()) {
            throw new ApiException.Unavailable("Too many artifact uploads are in progress; retry later.");
        }
        try (InputStream in = request.getInputStream()) {
            ArtifactStore.Stored stored = store.put(in, maxBytes, expected, namespace);
            ObjectNode body = Json.object().put("digest", stored.digest()).put("size", stored.size());
            // 201 even when the bytes were already stored: the answer must not tell whether another
            // namespace uploaded the same content.
            return ResponseEntity.status(HttpStatus.CREATED).body(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload", e);
        } finally {
            uploads.release();
        }
    }
}
