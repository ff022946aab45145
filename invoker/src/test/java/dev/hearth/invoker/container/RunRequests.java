package dev.hearth.invoker.container;

import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;

/** The {@code /run} request the container factories' tests send: {@code json} as the parameters of {@code /ns/a}. */
public final class RunRequests {
    private RunRequests() {}

    public static RunRequest run(String json) {
        return new RunRequest(
                RawJson.of(Json.tree(json)),
                "ns",
                "/ns/a",
                "0".repeat(32),
                "tx",
                System.currentTimeMillis() + 60_000,
                null,
                0);
    }
}
