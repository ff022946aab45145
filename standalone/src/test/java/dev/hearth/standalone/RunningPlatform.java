package dev.hearth.standalone;

import dev.hearth.testsupport.Scratch;
import java.nio.file.Path;
import java.util.Map;

/**
 * One real platform (Kafka broker, PostgreSQL, every service, process containers) shared by the
 * whole-path test classes of this JVM: starting it costs ~15 s, so it starts once, on first use, and
 * stops when the JVM exits. Tests isolate themselves by action names, never by resetting it.
 */
final class RunningPlatform {
    /** A second namespace, {@code other}, seeded by configuration to test isolation. */
    /** The shared platform's upload limit, small so a test can exceed it quickly. */
    static final int UPLOAD_LIMIT_MB = 64;

    static final String OTHER_KEY = "0b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d:"
            + "otherKeyOtherKeyOtherKeyOtherKeyOtherKeyOtherKeyOtherKeyOtherKey1";

    private RunningPlatform() {}

    static Platform get() {
        return Holder.PLATFORM;
    }

    static Api guest() {
        Platform p = get();
        return new Api(p.apiHost(), p.guestKey());
    }

    static Path newDataDir(String prefix) {
        return Scratch.dir(prefix);
    }

    private static final class Holder {
        static final Platform PLATFORM = start();

        private static Platform start() {
            Platform p = Platform.start(PlatformSettings.ephemeral(
                    newDataDir("hearth-it"),
                    Map.of(
                            "hearth.controller.namespaces.other",
                            OTHER_KEY,
                            "hearth.controller.artifact-upload-max-bytes",
                            UPLOAD_LIMIT_MB + "MB")));
            Scratch.closeAtExit(p);
            return p;
        }
    }
}
