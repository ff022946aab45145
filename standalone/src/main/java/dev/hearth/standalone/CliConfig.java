package dev.hearth.standalone;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Writes the CLI's configuration ({@code APIHOST}, {@code AUTH}) to {@code $HEARTH_CONFIG} or
 * {@code ~/.hearth/config}, keeping any other keys already there.
 */
final class CliConfig {
    private CliConfig() {
    }

    static Path location() {
        String env = System.getenv("HEARTH_CONFIG");
        return env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".hearth", "config");
    }

    static Path write(Path file, String apiHost, String auth) {
        Properties p = new Properties();
        try {
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file)) {
                    p.load(r);
                }
            }
            p.setProperty("APIHOST", apiHost);
            p.setProperty("AUTH", auth);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "written by hearth up");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CLI configuration " + file, e);
        }
    }
}
