package dev.hearth.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * The {@code guest} namespace's key ({@code uuid:key}), made once per data directory and kept in
 * {@code <dataDir>/guest.key} (mode 600) so restarts and the CLI agree on it. The controller stores
 * only its salted hash.
 */
final class GuestKey {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private GuestKey() {}

    static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve("guest.key");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            SecureRandom random = new SecureRandom();
            StringBuilder key = new StringBuilder(64);
            for (int i = 0; i < 64; i++) {
                key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String value = UUID.randomUUID() + ":" + key;
            Files.writeString(file, value + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}
