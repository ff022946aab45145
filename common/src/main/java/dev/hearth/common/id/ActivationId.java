package dev.hearth.common.id;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** An activation's id: 32 lowercase hex characters, as OpenWhisk prints them. */
public record ActivationId(String value) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ActivationId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("activation id must be 32 lowercase hex characters: " + value);
        }
    }

    public static ActivationId generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new ActivationId(HexFormat.of().formatHex(bytes));
    }

    /** Parses user input; returns null when it is not an activation id. */
    public static ActivationId parseOrNull(String text) {
        return text != null && FORM.matcher(text).matches() ? new ActivationId(text) : null;
    }

    @Override
    public String toString() {
        return value;
    }
}
