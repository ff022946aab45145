package dev.hearth.common.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.ExecRef;
import dev.hearth.common.entity.KeyValue;
import dev.hearth.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {
    private static final String DIGEST = "ab".repeat(32);

    @Test
    void anActivationMessageSurvivesTheWire() {
        ActivationMessage m = new ActivationMessage(
                Message.SCHEMA,
                "tx1",
                "0".repeat(32),
                "guest",
                "guest",
                "guest/hello",
                "0.0.1",
                new ExecRef("java", "hello.Hello", DIGEST),
                ActionLimits.DEFAULT,
                List.of(new KeyValue("k", Json.tree("\"v\""))),
                Json.tree("{\"a\":[1,2]}"),
                true,
                0,
                42L);
        assertThat(Messages.decode(Messages.encode(m), ActivationMessage.class)).isEqualTo(m);
    }

    @Test
    void anUnknownSchemaIsRefused() {
        byte[] bytes = "{\"schema\":2,\"transactionId\":\"t\",\"invoker\":0}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Messages.decode(bytes, HealthPing.class))
                .isInstanceOf(Messages.MalformedMessageException.class)
                .hasMessageContaining("schema 2");
    }

    @Test
    void garbageIsRefusedAsMalformed() {
        byte[] bytes = "not json".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Messages.decode(bytes, CompletionMessage.class))
                .isInstanceOf(Messages.MalformedMessageException.class);
    }

    @Test
    void anExecWithAShortDigestIsRefused() {
        assertThatThrownBy(() -> new ExecRef("java", "x", "abc")).hasMessageContaining("digest");
    }
}
