package dev.hearth.scheduler.policy;

import java.util.HashMap;
import java.util.Map;

/**
 * OpenWhisk's default: nothing is started ahead; a request without a free warm container takes a stem
 * cell or starts a container cold; a container idle for 10 minutes is removed. CPU share 1 core.
 *
 * <p>Worked example: function f got 5 requests in the last window and has 2 warm containers; the
 * decision is still warm 0, pre-loaded 0, share 1, keep-alive 600 000 ms — the 2 containers stay until
 * they have been idle 10 minutes.
 *
 * <p>Caveats: the keep-alive ignores load and SLO; a rarely called function pays a cold start after
 * each 10-minute gap, and a popular one keeps its burst-time containers for 10 minutes after a burst.
 */
public final class FixedKeepAlive implements Policy {
    public static final long KEEP_ALIVE_MS = 600_000;

    @Override
    public String name() {
        return "openwhisk";
    }

    @Override
    public Decision decide(Snapshot snapshot) {
        Map<String, Decision.Target> targets = new HashMap<>();
        for (FunctionState f : snapshot.functions()) {
            targets.put(f.name(), new Decision.Target(0, 0, 1.0, KEEP_ALIVE_MS));
        }
        return new Decision(name(), snapshot.nowMs(), targets, Decision.PLATFORM_PREWARMED);
    }
}
