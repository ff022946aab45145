package dev.hearth.common.id;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The id that follows one request through every service (the gateway's {@code X-Request-ID}); it is
 * the {@code code} of OpenWhisk error bodies. 1–64 characters of letters, digits, '-' or '_'.
 */
public record TransactionId(String value) {
    public static final String HEADER = "X-Request-ID";
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public TransactionId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("transaction id must be 1-64 of [A-Za-z0-9_-]: " + value);
        }
    }

    public static TransactionId generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new TransactionId(HexFormat.of().formatHex(bytes));
    }

    /** The client's id when it is valid, else a new one. */
    public static TransactionId fromHeaderOrNew(String header) {
        return header != null && FORM.matcher(header).matches() ? new TransactionId(header) : generate();
    }

    @Override
    public String toString() {
        return value;
    }
}
