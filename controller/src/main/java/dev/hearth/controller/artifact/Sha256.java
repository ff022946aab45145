package dev.hearth.controller.artifact;

import dev.hearth.controller.web.ApiException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** Artifact digests: SHA-256 as 64 lower-case hex digits, the key of the {@code artifacts} table. */
public final class Sha256 {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {}

    /** The digest of {@code bytes}. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(ArtifactStore.sha256().digest(bytes));
    }

    /**
     * A digest as a client wrote it ({@code <hex>} or {@code sha256:<hex>}, any case) in canonical form;
     * 400 naming {@code field} when it is not one.
     */
    public static String parse(String text, String field) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("sha256:")) {
            t = t.substring("sha256:".length());
        }
        if (!HEX64.matcher(t).matches()) {
            throw ApiException.BadRequest.malformed("'" + field + "' must be a SHA-256 digest: 64 hex digits");
        }
        return t;
    }
}
