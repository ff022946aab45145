package dev.hearth.controller.web;

import dev.hearth.common.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads request bodies with a size bound: refuses early on a too-large {@code Content-Length} and
 * again when more bytes arrive than allowed (chunked bodies), so no body larger than the bound is
 * ever buffered. A body of declared length is read into one array of that length (a model's image
 * request is 164 KB: filling a buffer of that size and copying it out was most of what the controller
 * allocated per call).
 */
public final class RequestBodies {
    private RequestBodies() {}

    /** The body's bytes; {@link ApiException.TooLarge} when it exceeds {@code maxBytes}. */
    public static byte[] read(HttpServletRequest request, long maxBytes) {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw new ApiException.TooLarge("Request", declared, maxBytes);
        }
        try (InputStream in = request.getInputStream()) {
            if (declared >= 0) {
                // The container ends the stream at the declared length: one array of that size, no copy.
                return in.readNBytes((int) declared);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new ApiException.TooLarge("Request", total, maxBytes);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    /** A body read already: itself, or {@link ApiException.TooLarge} past {@code maxBytes}, as {@link #read}. */
    public static byte[] bounded(byte[] body, long maxBytes) {
        if (body.length > maxBytes) {
            throw new ApiException.TooLarge("Request", body.length, maxBytes);
        }
        return body;
    }

    /** The body as JSON; an empty body is {@code null}; malformed JSON is OpenWhisk's 400. */
    public static JsonNode readJson(HttpServletRequest request, long maxBytes) {
        byte[] bytes = read(request, maxBytes);
        if (isBlank(bytes)) {
            return null;
        }
        try {
            return Json.mapper().readTree(bytes);
        } catch (JacksonException e) {
            throw ApiException.BadRequest.malformed(e.getOriginalMessage());
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
