package dev.hearth.invoker.container;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What a runtime proxy answered to {@code /preload}: whether the model was already there, how long the
 * load took, and the tensor-store files it maps (the container's references while the pre-load lasts).
 */
public record PreloadResult(boolean already, long modelLoadMs, List<String> storeDigests) {
    public PreloadResult {
        storeDigests = List.copyOf(storeDigests);
    }

    public static PreloadResult of(JsonNode body) {
        InitTimings t = InitTimings.of(body);
        boolean already = body != null && body.path("already").asBoolean(false);
        return new PreloadResult(
                already, t.modelLoadMs() == null ? 0 : t.modelLoadMs(), new ArrayList<>(t.storeDigests()));
    }
}
