package dev.hearth.cli.config;

import dev.hearth.cli.CliEnvironment;
import dev.hearth.cli.CliException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The CLI's properties file: {@code $HEARTH_CONFIG} when set, else {@code ~/.hearth/config}.
 * Plain {@code KEY=value} lines; read with {@link Properties}, written back unescaped (so
 * {@code AUTH=uuid:key} stays readable by shell scripts) and readable only by its owner.
 */
public final class ConfigFile {
    public static final String APIHOST = "APIHOST";
    public static final String AUTH = "AUTH";
    public static final String NAMESPACE = "NAMESPACE";
    public static final String ENV_VARIABLE = "HEARTH_CONFIG";
    private static final List<String> KNOWN_KEYS = List.of(APIHOST, AUTH, NAMESPACE);

    private final Path path;
    private final Map<String, String> values;

    private ConfigFile(Path path, Map<String, String> values) {
        this.path = path;
        this.values = values;
    }

    /** {@code $HEARTH_CONFIG} if set and not blank, else {@code <home>/.hearth/config}. */
    public static Path locate(CliEnvironment environment) {
        String fromEnv = environment.env().get(ENV_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return environment.home().resolve(".hearth").resolve("config");
    }

    /** Reads the file; a missing file reads as empty. */
    public static ConfigFile load(Path path) {
        Map<String, String> values = new LinkedHashMap<>();
        if (Files.isRegularFile(path)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException unreadable) {
                throw CliException.usage("cannot read config file " + path + ": " + unreadable.getMessage());
            }
            new TreeMap<>(properties).forEach((k, v) -> values.put(k.toString(), v.toString()));
        }
        return new ConfigFile(path, values);
    }

    public Path path() {
        return path;
    }

    /** The value of {@code key}, or null. */
    public String get(String key) {
        return values.get(key);
    }

    public void set(String key, String value) {
        values.put(key, value);
    }

    /** Writes the file, creating its directory; known keys first, then the rest sorted. */
    public void save() {
        List<String> lines = new ArrayList<>();
        KNOWN_KEYS.stream().filter(values::containsKey).forEach(k -> lines.add(k + "=" + values.get(k)));
        new TreeMap<>(values).forEach((k, v) -> {
            if (!KNOWN_KEYS.contains(k)) {
                lines.add(k + "=" + v);
            }
        });
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(path, lines, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on file systems without POSIX permissions
            }
        } catch (IOException failure) {
            throw new CliException(
                    "cannot write config file " + path + ": " + failure.getMessage(), CliException.FAILURE);
        }
    }
}
