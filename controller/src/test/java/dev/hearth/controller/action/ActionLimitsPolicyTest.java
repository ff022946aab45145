package dev.hearth.controller.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.json.Json;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.web.ApiException;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Memory resolution per kind, with and without a manifest's wish; defaults 128..512 (java), ..4096 (models). */
class ActionLimitsPolicyTest {
    private static final ControllerProperties.Limits CONFIG = new Binder(new MapConfigurationPropertySource())
            .bindOrCreate(ControllerProperties.PREFIX, ControllerProperties.class)
            .limits();
    private static final ControllerProperties.Range JAVA = CONFIG.memory();
    private static final ControllerProperties.Range MODELS = CONFIG.memory().models();
    private static final ActionLimits OLD_1024 = new ActionLimits(60_000, 1024, 10, 1);

    /** label, limits JSON (or null), old limits, range, manifest memory (0 = none), kind, memory or error. */
    static Stream<Arguments> cases() {
        return Stream.of(
                row("java default", null, null, JAVA, 0, "java", "256"),
                row("model, manifest's memory", null, null, MODELS, 300, "djl:pytorch", "300"),
                row("model, manifest below min is raised", null, null, MODELS, 64, "djl:pytorch", "128"),
                row(
                        "model, manifest above model-max",
                        null,
                        null,
                        MODELS,
                        5000,
                        "djl:pytorch",
                        "!memory 5000 MB asked for by the model's manifest exceeds allowed threshold of 4096 MB "
                                + "for djl:pytorch actions"),
                row("model, request's memory wins", "{\"memory\":2048}", null, MODELS, 5000, "djl:pytorch", "2048"),
                row(
                        "model, request above model-max",
                        "{\"memory\":4097}",
                        null,
                        MODELS,
                        300,
                        "djl:pytorch",
                        "!memory 4097 MB exceeds allowed threshold of 4096 MB"),
                row(
                        "model update keeps 1024 without a manifest",
                        "{\"timeout\":1000}",
                        OLD_1024,
                        MODELS,
                        0,
                        "djl:pytorch",
                        "1024"),
                row("model update, new bundle's memory", null, OLD_1024, MODELS, 300, "djl:pytorch", "300"),
                row(
                        "java keeps its 512 max",
                        "{\"memory\":2048}",
                        null,
                        JAVA,
                        0,
                        "java",
                        "!memory 2048 MB exceeds allowed threshold of 512 MB"),
                row(
                        "model to java keeps 1024: refused",
                        null,
                        OLD_1024,
                        JAVA,
                        0,
                        "java",
                        "!memory 1024 MB is outside the allowed range of 128 to 512 MB for java actions; set "
                                + "'limits.memory'"),
                row("model to java with memory given", "{\"memory\":512}", OLD_1024, JAVA, 0, "java", "512"));
    }

    private static Arguments row(
            String label,
            String limits,
            ActionLimits old,
            ControllerProperties.Range range,
            int manifest,
            String kind,
            String expected) {
        return Arguments.of(Named.of(label, limits), old, range, manifest, kind, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resolvesMemory(
            String limits,
            ActionLimits old,
            ControllerProperties.Range range,
            int manifest,
            String kind,
            String expected) {
        ActionLimitsPolicy policy = new ActionLimitsPolicy(CONFIG);
        OptionalInt wanted = manifest > 0 ? OptionalInt.of(manifest) : OptionalInt.empty();
        var json = limits == null ? null : Json.tree(limits);
        if (expected.startsWith("!")) {
            assertThatThrownBy(() -> policy.resolve(json, old, range, wanted, kind))
                    .isInstanceOf(ApiException.BadRequest.class)
                    .hasMessage(expected.substring(1));
        } else {
            assertThat(policy.resolve(json, old, range, wanted, kind).memory()).isEqualTo(Integer.parseInt(expected));
        }
    }
}
