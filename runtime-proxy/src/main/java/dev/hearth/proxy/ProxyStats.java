package dev.hearth.proxy;

import com.google.gson.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code GET /stats} reports: uptime, start-up and init time, heap, number of runs and the
 * initialized action. Times are {@code System.nanoTime()} differences from the JVM's start, expressed on
 * the same clock (see {@link JvmAge}). Safe to read while a run is going on.
 */
final class ProxyStats {

    private final long jvmStartNanos;
    private final AtomicLong runs = new AtomicLong();
    private volatile long startupMs = -1;
    private volatile long initMs = -1;
    private volatile String actionName;

    ProxyStats(long jvmStartNanos) {
        this.jvmStartNanos = jvmStartNanos;
    }

    /** Records that the proxy is ready to serve and returns the milliseconds since JVM start. */
    long ready(long nowNanos) {
        startupMs = (nowNanos - jvmStartNanos) / 1_000_000;
        return startupMs;
    }

    void initialized(String name, long initMs) {
        this.actionName = name;
        this.initMs = initMs;
    }

    void ran() {
        runs.incrementAndGet();
    }

    JsonObject toJson(long nowNanos) {
        Runtime rt = Runtime.getRuntime();
        long committed = rt.totalMemory();
        JsonObject json = new JsonObject();
        json.addProperty("uptimeMs", (nowNanos - jvmStartNanos) / 1_000_000);
        json.addProperty("startupMs", startupMs);
        json.addProperty("initMs", initMs < 0 ? null : initMs);
        json.addProperty("heapUsedBytes", committed - rt.freeMemory());
        json.addProperty("heapCommittedBytes", committed);
        json.addProperty("heapMaxBytes", rt.maxMemory());
        json.addProperty("runs", runs.get());
        json.addProperty("pageMerging", PageMerging.on());
        json.addProperty("sharedStackGuard", PageMerging.sharedStackGuard());
        json.addProperty("action", actionName);
        return json;
    }
}
