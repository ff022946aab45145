package dev.hearth.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the CLI's configuration ({@code APIHOST}, {@code AUTH}) to {@code $HEARTH_CONFIG} or
 * {@code ~/.hearth/config}, keeping any other keys already there.
 */
final class CliConfig {
    private CliConfig() {}

    static Path location() {
        String env = System.getenv("HEARTH_CONFIG");
        return env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".hearth", "config");
    }

    /**
     * Sets {@code APIHOST} and {@code AUTH}, keeping other lines. Written as plain {@code KEY=value}
     * lines like wsk's .wskprops (not {@link java.util.Properties#store}, which escapes the ':' in keys
     * and breaks {@code sed}-style reading).
     */
    static Path write(Path file, String apiHost, String auth) {
        try {
            List<String> lines = new ArrayList<>();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.startsWith("APIHOST=") && !line.startsWith("AUTH=")) {
                        lines.add(line);
                    }
                }
            }
            lines.add("APIHOST=" + apiHost);
            lines.add("AUTH=" + auth);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, lines);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CLI configuration " + file, e);
        }
    }
}
