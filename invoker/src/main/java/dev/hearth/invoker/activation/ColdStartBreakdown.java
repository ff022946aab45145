package dev.hearth.invoker.activation;

import dev.hearth.common.json.Json;
import dev.hearth.invoker.container.InitTimings;
import dev.hearth.invoker.container.StartTimings;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code initBreakdown} annotation of a cold start: where the time to a usable container went.
 * <ul>
 *   <li>{@code containerStartMs}: create to READY minus the runtime's own start: what the factory
 *       spends before the runtime's process exists (spawning; a Docker create/start) and after READY
 *       (cgroup placement).</li>
 *   <li>{@code runtimeStartMs}: the proxy's {@code startupMs}, from its process's start time in
 *       {@code /proc} to READY, so JVM boot before {@code main} is in here. With process containers,
 *       whose process starts almost at once, {@code containerStartMs} is therefore only a few ms (often
 *       0: the proxy's clock has a 10 ms tick).</li>
 *   <li>model kinds: {@code engineInitMs} (DJL's PyTorch engine), {@code modelLoadMs} (the bundle);
 *       {@code java}: {@code codeLoadMs} (the jar and class).</li>
 * </ul>
 * As in OpenWhisk, {@code initTime} is the {@code /init} round trip, so the last two fall within it;
 * the first two happen before the container is lent, so they fall within {@code waitTime}. A key the
 * runtime did not report is left out.
 */
final class ColdStartBreakdown {
    private ColdStartBreakdown() {}

    static ObjectNode of(StartTimings start, InitTimings init) {
        ObjectNode out = Json.object();
        out.put("containerStartMs", start.containerStartMs());
        if (start.runtimeStartMs() != null) {
            out.put("runtimeStartMs", start.runtimeStartMs());
        }
        if (init.engineInitMs() != null || init.modelLoadMs() != null) {
            if (init.engineInitMs() != null) {
                out.put("engineInitMs", init.engineInitMs());
            }
            if (init.modelLoadMs() != null) {
                out.put("modelLoadMs", init.modelLoadMs());
            }
        } else if (init.loadMs() != null) {
            out.put("codeLoadMs", init.loadMs());
        }
        return out;
    }
}
