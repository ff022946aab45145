package dev.hearth.invoker;

import dev.hearth.proxy.RuntimeProxy;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The runtime proxy's class path for a container: the proxy's own jar plus exactly the artifacts its
 * jar lists in {@value #DEPENDENCIES} ({@code mvn dependency:list} of its runtime scope), each found
 * among the jars visible to the invoker's class loader. Nothing else of the invoker (Spring, Kafka,
 * JDBC) reaches a container.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Locate RuntimeProxy's code source (a jar, or a classes directory in a reactor build) and read
 *       the list from it, not from whichever copy a class loader finds first.</li>
 *   <li>Parse each line: strip ANSI colours, take the first token
 *       {@code groupId:artifactId:type[:classifier]:version:scope}; other lines (the header) are skipped.</li>
 *   <li>Enumerate the visible class path entries: every {@code META-INF/MANIFEST.MF} the loader sees
 *       (this finds each jar even under Surefire's manifest-only booter, where {@code java.class.path}
 *       is one jar), every root directory ({@code getResources("")}), and {@code java.class.path}.</li>
 *   <li>Match a jar by file name {@code artifactId-version[-classifier].jar} (a snapshot may also carry a
 *       timestamped version); a classes directory by its {@code META-INF/maven/.../pom.properties} or,
 *       in a reactor build ({@code <module>/target/classes}), by the module's {@code pom.xml}.</li>
 *   <li>Any artifact without a match fails start-up with a message naming every missing one and the
 *       override, {@code hearth.invoker.process.proxy-classpath}.</li>
 * </ol>
 * Example: the list names {@code com.google.code.gson:gson:jar:2.13.2:compile} and
 * {@code ai.djl.pytorch:pytorch-native-cpu:jar:linux-x86_64:2.7.1:compile}; the invoker's loader sees
 * {@code .../gson-2.13.2.jar} and {@code .../pytorch-native-cpu-2.7.1-linux-x86_64.jar} (and Spring's
 * jars, which are not listed): the class path is the proxy's jar, then those two, in the list's order.
 *
 * <p>Caveat: jars nested in a Spring Boot executable jar are not files a child JVM can use; such a
 * launch must set {@code process.proxy-classpath}.
 */
final class ProxyClasspath {
    static final String DEPENDENCIES = "META-INF/hearth/proxy-dependencies.txt";
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final Pattern SNAPSHOT_STAMP = Pattern.compile("\\d{8}\\.\\d{6}-\\d+");
    private static final String OVERRIDE = InvokerProperties.PREFIX + "process.proxy-classpath";

    /** One listed artifact. */
    record Artifact(String groupId, String artifactId, String type, String classifier, String version) {
        /** {@code g:a:type[:classifier]:version:scope}, or null when the token is not that shape. */
        static Artifact parse(String token) {
            String[] p = token.split(":");
            return switch (p.length) {
                case 5 -> new Artifact(p[0], p[1], p[2], null, p[3]);
                case 6 -> new Artifact(p[0], p[1], p[2], p[3], p[4]);
                default -> null;
            };
        }

        boolean matchesFileName(String name) {
            String suffix = (classifier == null ? "" : "-" + classifier) + ".jar";
            if (name.equals(artifactId + "-" + version + suffix)) {
                return true;
            }
            if (!version.endsWith("-SNAPSHOT")) {
                return false;
            }
            String prefix = artifactId + "-" + version.substring(0, version.length() - "SNAPSHOT".length());
            return name.startsWith(prefix)
                    && name.endsWith(suffix)
                    && name.length() >= prefix.length() + suffix.length()
                    && SNAPSHOT_STAMP
                            .matcher(name.substring(prefix.length(), name.length() - suffix.length()))
                            .matches();
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + type + (classifier == null ? "" : ":" + classifier) + ":"
                    + version;
        }
    }

    private ProxyClasspath() {}

    /** The class path for containers, from what this JVM's class loader sees. */
    static String derive() {
        Path proxy = codeSource(RuntimeProxy.class);
        ClassLoader loader = RuntimeProxy.class.getClassLoader();
        return derive(proxy, readList(proxy), visibleEntries(loader));
    }

    /** The proxy's location, then every listed artifact's entry among {@code visible}, in the list's order. */
    static String derive(Path proxy, List<String> listLines, Collection<Path> visible) {
        List<Artifact> wanted = parse(listLines);
        List<String> out = new ArrayList<>();
        out.add(proxy.toString());
        List<String> missing = new ArrayList<>();
        for (Artifact a : wanted) {
            Path found = visible.stream()
                    .filter(p -> !p.equals(proxy) && matches(a, p))
                    .findFirst()
                    .orElse(null);
            if (found == null) {
                missing.add(a.toString());
            } else if (!out.contains(found.toString())) {
                out.add(found.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "the runtime proxy needs " + missing.size() + " artifact(s) that are not on the "
                            + "invoker's class path: " + String.join(", ", missing) + " (the proxy's " + DEPENDENCIES
                            + " lists them; put them on the class path or set " + OVERRIDE + ")");
        }
        return String.join(File.pathSeparator, out);
    }

    static List<Artifact> parse(List<String> lines) {
        List<Artifact> out = new ArrayList<>();
        for (String raw : lines) {
            String line = ANSI.matcher(raw).replaceAll("").strip();
            if (line.isEmpty()) {
                continue;
            }
            Artifact a = Artifact.parse(line.split("\\s+", 2)[0]);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    private static boolean matches(Artifact a, Path entry) {
        if (Files.isRegularFile(entry)) {
            return a.matchesFileName(entry.getFileName().toString());
        }
        if (Files.isDirectory(entry)) {
            Artifact dir = directoryArtifact(entry);
            return dir != null
                    && dir.groupId().equals(a.groupId())
                    && dir.artifactId().equals(a.artifactId())
                    && dir.version().equals(a.version());
        }
        return false;
    }

    /** A classes directory's coordinates: from Maven's pom.properties, or a reactor module's pom.xml. */
    private static Artifact directoryArtifact(Path dir) {
        try (var found = Files.find(dir.resolve("META-INF/maven"), 3, (p, attrs) -> p.endsWith("pom.properties"))) {
            Path props = found.findFirst().orElse(null);
            if (props != null) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(props)) {
                    p.load(in);
                }
                return new Artifact(
                        p.getProperty("groupId"), p.getProperty("artifactId"), "jar", null, p.getProperty("version"));
            }
        } catch (IOException | UncheckedIOException e) {
            // no Maven metadata: try the module's pom below
        }
        Path pom = dir.getParent() != null && dir.getParent().getParent() != null && dir.endsWith("target/classes")
                ? dir.getParent().getParent().resolve("pom.xml")
                : null;
        return pom != null && Files.isRegularFile(pom) ? ModulePom.artifact(pom) : null;
    }

    /** Every class path entry the loader sees, as local paths, without duplicates. */
    static Set<Path> visibleEntries(ClassLoader loader) {
        Set<Path> out = new LinkedHashSet<>();
        try {
            for (Enumeration<URL> e = loader.getResources("META-INF/MANIFEST.MF"); e.hasMoreElements(); ) {
                Path jar = jarOf(e.nextElement());
                if (jar != null) {
                    out.add(jar);
                }
            }
            for (Enumeration<URL> e = loader.getResources(""); e.hasMoreElements(); ) {
                Path dir = localPath(e.nextElement());
                if (dir != null) {
                    out.add(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the invoker's class path: " + e.getMessage(), e);
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                out.add(Path.of(entry).toAbsolutePath().normalize());
            }
        }
        return out;
    }

    /** {@code jar:file:/x/y.jar!/META-INF/MANIFEST.MF} → {@code /x/y.jar}; nested or remote jars → null. */
    private static Path jarOf(URL manifest) {
        if (!"jar".equals(manifest.getProtocol())) {
            return null;
        }
        String spec = manifest.getPath();
        int bang = spec.indexOf("!/");
        if (bang < 0) {
            return null;
        }
        try {
            return localPath(URI.create(spec.substring(0, bang)).toURL());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Path localPath(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return null;
        }
        try {
            return Path.of(url.toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The list inside the proxy's own jar or classes directory. */
    static List<String> readList(Path proxy) {
        try {
            if (Files.isDirectory(proxy)) {
                Path list = proxy.resolve(DEPENDENCIES);
                if (Files.isRegularFile(list)) {
                    return Files.readAllLines(list, StandardCharsets.UTF_8);
                }
            } else {
                try (ZipFile zip = new ZipFile(proxy.toFile())) {
                    ZipEntry entry = zip.getEntry(DEPENDENCIES);
                    if (entry != null) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                                    .lines()
                                    .toList();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read " + DEPENDENCIES + " from " + proxy + ": " + e.getMessage() + "; set " + OVERRIDE, e);
        }
        throw new IllegalStateException(proxy + " has no " + DEPENDENCIES + " (a runtime proxy built without its "
                + "dependency list?): rebuild runtime-proxy or set " + OVERRIDE);
    }

    private static Path codeSource(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot locate the code source of " + type.getName() + ": set " + OVERRIDE);
        }
        Path path = localPath(source.getLocation());
        if (path == null) {
            throw new IllegalStateException("the code source of " + type.getName() + " is not a local path ("
                    + source.getLocation() + "): set " + OVERRIDE);
        }
        return path;
    }

    /** Reads a module's coordinates from its {@code pom.xml} (artifactId, and group/version or the parent's). */
    private static final class ModulePom {
        private static final Pattern PARENT = Pattern.compile("<parent>(.*?)</parent>", Pattern.DOTALL);

        static Artifact artifact(Path pom) {
            try {
                String xml = Files.readString(pom).replaceAll("(?s)<!--.*?-->", "");
                String parent = "";
                Matcher m = PARENT.matcher(xml);
                if (m.find()) {
                    parent = m.group(1);
                    xml = xml.substring(0, m.start()) + xml.substring(m.end());
                }
                xml = xml.replaceAll("(?s)<(dependencies|dependencyManagement|build|profiles|properties)>.*", "");
                String artifactId = tag(xml, "artifactId");
                String groupId = tag(xml, "groupId") != null ? tag(xml, "groupId") : tag(parent, "groupId");
                String version = tag(xml, "version") != null ? tag(xml, "version") : tag(parent, "version");
                return artifactId == null || groupId == null || version == null
                        ? null
                        : new Artifact(groupId, artifactId, "jar", null, version);
            } catch (IOException e) {
                return null;
            }
        }

        private static String tag(String xml, String name) {
            Matcher m = Pattern.compile("<" + name + ">\\s*([^<\\s]+)\\s*</" + name + ">")
                    .matcher(xml);
            return m.find() ? m.group(1) : null;
        }
    }
}
