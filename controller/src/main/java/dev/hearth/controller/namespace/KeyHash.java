package dev.hearth.controller.namespace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * How keys are stored ({@code namespaces.key_salt}, {@code key_hash}): a random 16-byte salt (hex)
 * and the hex SHA-256 of the salt's raw bytes followed by the key's UTF-8 bytes. Checks compare
 * digests in constant time.
 */
record KeyHash(String saltHex, String hashHex) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    static KeyHash of(String key) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        String saltHex = HEX.formatHex(salt);
        return new KeyHash(saltHex, HEX.formatHex(digest(salt, key)));
    }

    boolean matches(String key) {
        byte[] expected;
        byte[] salt;
        try {
            expected = HEX.parseHex(hashHex);
            salt = HEX.parseHex(saltHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, digest(salt, key));
    }

    private static byte[] digest(byte[] salt, String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new random key: 64 characters of letters and digits, as OpenWhisk's generated keys. */
    static String randomKey() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(64);
        for (int i = 0; i < 64; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
