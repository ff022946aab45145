package dev.hearth.controller.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.controller.support.ControllerHarness;
import dev.hearth.controller.support.ControllerHarness.Reply;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpRequest.BodyPublishers;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A body several times larger than the heap streams through the controller into a large object.
 * Surefire runs this class alone in a JVM with {@code -Xmx128m} (execution {@code large-upload} in
 * the controller's pom), holding the controller, the test's HTTP client and the body's generator:
 * a 400 MB body that were buffered anywhere would fail with OutOfMemoryError. The heap's peak use
 * during the upload is printed for the record.
 */
@Tag("large-upload")
class LargeUploadMemoryTest {
    private static final long SIZE = 400L * 1024 * 1024;

    @Test
    void aBodyLargerThanTheHeapStreamsIntoALargeObject() throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertThat(maxHeap)
                .as("run with -Xmx well below the body (see the pom)")
                .isLessThan(SIZE / 2);
        String digest = digestOf(new Generated(SIZE, 42));
        try (ControllerHarness controller = ControllerHarness.start()) {
            long before = controller.largeObjects();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long baseline = memory.getHeapMemoryUsage().getUsed();
            AtomicLong peak = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long start = System.nanoTime();
            Reply r = controller.stream(
                    "POST",
                    "/api/v1/namespaces/_/artifacts",
                    BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> new Generated(SIZE, 42)), SIZE),
                    ControllerHarness.GUEST_AUTH,
                    Map.of("Content-Type", "application/octet-stream", "X-Hearth-Digest", digest));
            long millis = (System.nanoTime() - start) / 1_000_000;
            running.set(false);
            sampler.join();
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            assertThat(r.json().get("digest").asString()).isEqualTo(digest);
            assertThat(r.json().get("size").asLong()).isEqualTo(SIZE);
            assertThat(controller.largeObjects()).isEqualTo(before + 1);
            assertThat(peak.get()).as("heap peak during the upload").isLessThan(SIZE / 4);
            System.out.printf(
                    "large upload: %d MB in %d ms with -Xmx%d MB; heap used %d MB before, peak %d MB%n",
                    SIZE >> 20, millis, maxHeap >> 20, baseline >> 20, peak.get() >> 20);
        }
    }

    private static String digestOf(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) != -1) {
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** {@code size} pseudo-random bytes from a seed, made as they are read. */
    private static final class Generated extends InputStream {
        private final SplittableRandom random;
        private long left;

        Generated(long size, long seed) {
            this.left = size;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, left), 8192);
            for (int i = 0; i < n; i += 8) {
                long v = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    b[off + i + j] = (byte) (v >>> (8 * j));
                }
            }
            left -= n;
            return n;
        }
    }
}
