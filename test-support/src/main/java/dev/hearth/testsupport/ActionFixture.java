package dev.hearth.testsupport;

/**
 * Ready-made {@code java}-kind actions for tests; build one with {@link ActionJars#build(java.nio.file.Path,
 * ActionFixture)} and use {@link #mainClass()} as the action's {@code main}. All live in package
 * {@code hearth.fixtures} and have OpenWhisk's signature {@code public static JsonObject main(JsonObject)}.
 */
public enum ActionFixture {

    /** Returns its parameters unchanged. */
    ECHO("hearth.fixtures.Echo", """
            package hearth.fixtures;
            import com.google.gson.JsonObject;
            public class Echo {
                public static JsonObject main(JsonObject args) {
                    return args;
                }
            }
            """),

    /** Sleeps {@code ms} milliseconds (default 100), then returns {@code {"slept": ms}}. */
    SLEEP("hearth.fixtures.Sleep", """
            package hearth.fixtures;
            import com.google.gson.JsonObject;
            public class Sleep {
                public static JsonObject main(JsonObject args) throws InterruptedException {
                    long ms = args.has("ms") ? args.get("ms").getAsLong() : 100;
                    Thread.sleep(ms);
                    JsonObject out = new JsonObject();
                    out.addProperty("slept", ms);
                    return out;
                }
            }
            """),

    /** Throws {@code RuntimeException} with {@code message} (default "boom"). */
    FAIL("hearth.fixtures.Fail", """
            package hearth.fixtures;
            import com.google.gson.JsonObject;
            public class Fail {
                public static JsonObject main(JsonObject args) {
                    String message = args.has("message") ? args.get("message").getAsString() : "boom";
                    throw new RuntimeException(message);
                }
            }
            """),

    /**
     * Prints {@code lines} (default 3) lines {@code "stdout <i>"} to stdout and {@code "stderr <i>"} to
     * stderr, then returns {@code {"lines": n}}.
     */
    LOGS("hearth.fixtures.Logs", """
            package hearth.fixtures;
            import com.google.gson.JsonObject;
            public class Logs {
                public static JsonObject main(JsonObject args) {
                    int n = args.has("lines") ? args.get("lines").getAsInt() : 3;
                    for (int i = 1; i <= n; i++) {
                        System.out.println("stdout " + i);
                        System.err.println("stderr " + i);
                    }
                    JsonObject out = new JsonObject();
                    out.addProperty("lines", n);
                    return out;
                }
            }
            """),

    /** Prints a line, then calls {@code System.exit(code)} (default 1): a container dying mid-run. */
    EXIT("hearth.fixtures.Exit", """
            package hearth.fixtures;
            import com.google.gson.JsonObject;
            public class Exit {
                public static JsonObject main(JsonObject args) {
                    int code = args.has("code") ? args.get("code").getAsInt() : 1;
                    System.out.println("exiting with " + code);
                    System.out.flush();
                    System.exit(code);
                    return null;
                }
            }
            """),

    /**
     * Allocates and touches {@code mb} MiB (default 16), then returns {@code {"allocatedMb": mb}}; with
     * {@code "keep": true} the memory stays referenced after the run (it accumulates across runs).
     * Asking for more than the heap ends in an {@code OutOfMemoryError}.
     */
    GREEDY("hearth.fixtures.Greedy", """
            package hearth.fixtures;
            import com.google.gson.JsonObject;
            import java.util.ArrayList;
            import java.util.List;
            public class Greedy {
                private static final List<byte[]> KEPT = new ArrayList<>();
                public static JsonObject main(JsonObject args) {
                    int mb = args.has("mb") ? args.get("mb").getAsInt() : 16;
                    List<byte[]> chunks = new ArrayList<>();
                    for (int i = 0; i < mb; i++) {
                        byte[] chunk = new byte[1024 * 1024];
                        for (int j = 0; j < chunk.length; j += 4096) {
                            chunk[j] = 1;
                        }
                        chunks.add(chunk);
                    }
                    if (args.has("keep") && args.get("keep").getAsBoolean()) {
                        KEPT.addAll(chunks);
                    }
                    JsonObject out = new JsonObject();
                    out.addProperty("allocatedMb", mb);
                    return out;
                }
            }
            """),

    /**
     * Returns the activation context the proxy exposes: every system property whose name starts with
     * {@code __OW_}, plus the properties named in the {@code names} array parameter (null when unset).
     */
    CONTEXT("hearth.fixtures.Context", """
            package hearth.fixtures;
            import com.google.gson.JsonElement;
            import com.google.gson.JsonObject;
            public class Context {
                public static JsonObject main(JsonObject args) {
                    JsonObject out = new JsonObject();
                    for (String name : System.getProperties().stringPropertyNames()) {
                        if (name.startsWith("__OW_")) {
                            out.addProperty(name, System.getProperty(name));
                        }
                    }
                    if (args.has("names")) {
                        for (JsonElement name : args.getAsJsonArray("names")) {
                            out.addProperty(name.getAsString(), System.getProperty(name.getAsString()));
                        }
                    }
                    return out;
                }
            }
            """),

    /**
     * Allocates {@code mb} MiB of native memory (outside the heap, so only the container's memory limit
     * stops it: the kernel kills the process) through the foreign memory API, called reflectively
     * because actions compile with {@code --release 21}, where it is still a preview.
     */
    NATIVE_GREEDY("hearth.fixtures.NativeGreedy", """
            package hearth.fixtures;
            import com.google.gson.JsonObject;
            import java.lang.reflect.Method;
            public class NativeGreedy {
                public static JsonObject main(JsonObject args) throws Exception {
                    int mb = args.get("mb").getAsInt();
                    Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
                    Object arena = arenaType.getMethod("global").invoke(null);
                    Method allocate = arenaType.getMethod("allocate", long.class);
                    Method fill = Class.forName("java.lang.foreign.MemorySegment").getMethod("fill", byte.class);
                    for (int i = 0; i < mb; i++) {
                        Object segment = allocate.invoke(arena, 1024L * 1024L);
                        fill.invoke(segment, (byte) 1);
                    }
                    JsonObject out = new JsonObject();
                    out.addProperty("allocatedMb", mb);
                    return out;
                }
            }
            """),

    /** Reads the file {@code path} and tries to write next to it: {@code {"content", "writeError"}}. */
    READ_FILE("hearth.fixtures.ReadFile", """
            package hearth.fixtures;
            import com.google.gson.JsonObject;
            import java.nio.file.Files;
            import java.nio.file.Path;
            public class ReadFile {
                public static JsonObject main(JsonObject args) throws Exception {
                    Path file = Path.of(args.get("path").getAsString());
                    JsonObject out = new JsonObject();
                    out.addProperty("content", Files.readString(file));
                    try {
                        Files.writeString(file.resolveSibling("written-by-a-function"), "x");
                        out.addProperty("writeError", "none");
                    } catch (Exception e) {
                        out.addProperty("writeError", e.toString());
                    }
                    return out;
                }
            }
            """),

    /**
     * Sleeps {@code ms} milliseconds (default 0), then returns the thread it ran on:
     * {@code {"threadId", "threadName"}}.
     */
    THREAD("hearth.fixtures.CurrentThread", """
            package hearth.fixtures;
            import com.google.gson.JsonObject;
            public class CurrentThread {
                public static JsonObject main(JsonObject args) throws InterruptedException {
                    Thread.sleep(args.has("ms") ? args.get("ms").getAsLong() : 0);
                    JsonObject out = new JsonObject();
                    out.addProperty("threadId", Thread.currentThread().threadId());
                    out.addProperty("threadName", Thread.currentThread().getName());
                    return out;
                }
            }
            """);

    private final String mainClass;
    private final String source;

    ActionFixture(String mainClass, String source) {
        this.mainClass = mainClass;
        this.source = source;
    }

    /** The fully qualified class name, which is also the action's {@code main}. */
    public String mainClass() {
        return mainClass;
    }

    /** The Java source. */
    public String source() {
        return source;
    }
}
