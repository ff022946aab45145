package dev.hearth.invoker.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.json.Json;
import org.junit.jupiter.api.Test;

class InitTimingsTest {
    static final String D = "ab".repeat(32);

    @Test
    void readsTimingsTheStoreFilesAndWhetherAPreloadWasBound() {
        InitTimings t = InitTimings.of(Json.tree("{\"ok\":true,\"timings\":{\"engineInitMs\":0,\"modelLoadMs\":0,"
                + "\"preloaded\":true},\"weights\":{\"storeDigests\":[\"" + D + "\",\"not-a-digest\"]}}"));
        assertThat(t).isEqualTo(new InitTimings(0L, 0L, null, java.util.List.of(D), true));
    }

    @Test
    void aLoadingInitIsNotPreloadedAndMissingPartsStayEmpty() {
        assertThat(InitTimings.of(Json.tree("{\"ok\":true,\"timings\":{\"modelLoadMs\":120.6,\"preloaded\":false}}")))
                .isEqualTo(new InitTimings(null, 121L, null, java.util.List.of(), false));
        assertThat(InitTimings.of(Json.tree("{\"ok\":true}"))).isEqualTo(InitTimings.NONE);
        assertThat(InitTimings.of(null)).isEqualTo(InitTimings.NONE);
    }
}
