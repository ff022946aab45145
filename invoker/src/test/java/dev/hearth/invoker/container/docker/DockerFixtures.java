package dev.hearth.invoker.container.docker;

/** Action sources the Docker tests need beyond {@code ActionFixture}. */
final class DockerFixtures {
    private DockerFixtures() {}

    /**
     * Allocates {@code mb} MiB of native memory (outside the heap, so only the container's memory limit
     * stops it: the kernel kills the process) through the foreign memory API, called reflectively because
     * actions compile with {@code --release 21}, where it is still a preview.
     */
    static final String NATIVE_GREEDY_CLASS = "hearth.fixtures.NativeGreedy";

    static final String NATIVE_GREEDY = """
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
            """;

    /** Reads the file {@code path} and tries to write next to it: {@code {"content", "writeError"}}. */
    static final String READ_FILE_CLASS = "hearth.fixtures.ReadFile";

    static final String READ_FILE = """
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
            """;
}
