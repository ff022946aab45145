package dev.hearth.common.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.ExecRef;
import dev.hearth.common.entity.KeyValue;
import dev.hearth.common.entity.Slo;
import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagesTest {
    private static final String DIGEST = "ab".repeat(32);

    @Test
    void anActivationMessageSurvivesTheWire() {
        ActivationMessage m =
                message(List.of(new KeyValue("k", Json.tree("\"v\""))), RawJson.of(Json.tree("{\"a\":[1,2]}")));
        assertThat(Messages.decode(Messages.encode(m), ActivationMessage.class)).isEqualTo(m);
    }

    /**
     * The parameters go from the controller to the container as the controller wrote them: decoding a
     * message slices them out of its bytes and encoding writes them back unchanged. Through a tree the
     * spaces would go and the escape would come out as the character it stands for.
     */
    @Test
    void theContentTravelsByteForByte() {
        String content = "{ \"image\" : \"caf\\u00e9\",\n  \"k\": [1, 2.50, {\"x\":null}] }";
        byte[] sent = Messages.encode(message(List.of(), RawJson.trusted(content.getBytes(StandardCharsets.UTF_8))));
        ActivationMessage read = Messages.decode(sent, ActivationMessage.class);
        assertThat(read.content().toString()).isEqualTo(content);
        assertThat(new String(Messages.encode(read), StandardCharsets.UTF_8))
                .isEqualTo(new String(sent, StandardCharsets.UTF_8))
                .contains("\"content\":" + content + ",");
        assertThat(read.content().tree().path("image").asString()).isEqualTo("caf\u00e9");
    }

    @Test
    void contentReadFromATreeIsWrittenOnce() {
        ActivationMessage m = message(List.of(), RawJson.of(Json.tree("{\"a\":\"b\"}")));
        ActivationMessage read = Json.mapper().treeToValue(Json.mapper().valueToTree(m), ActivationMessage.class);
        assertThat(read.content().toString()).isEqualTo("{\"a\":\"b\"}");
        assertThat(read).isEqualTo(m);
    }

    @Test
    void aMessageWithoutContentHasAnEmptyObject() {
        assertThat(message(List.of(), null).content().toString()).isEqualTo("{}");
    }

    @Test
    void aMessageWhoseContentIsNotJsonIsRefused() {
        String text = new String(Messages.encode(message(List.of(), RawJson.emptyObject())), StandardCharsets.UTF_8);
        byte[] broken = text.replace("\"content\":{}", "\"content\":{\"a\":}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Messages.decode(broken, ActivationMessage.class))
                .isInstanceOf(Messages.MalformedMessageException.class);
    }

    private static ActivationMessage message(List<KeyValue> annotations, RawJson content) {
        return new ActivationMessage(
                Message.SCHEMA,
                "tx1",
                "0".repeat(32),
                "guest",
                "guest",
                "guest/hello",
                "0.0.1",
                new ExecRef("java", "hello.Hello", DIGEST),
                ActionLimits.DEFAULT,
                annotations,
                content,
                true,
                0,
                42L);
    }

    @Test
    void anEventCarriesItsSloAndOneWithoutGetsTheDefaultClass() {
        ActivationEvent e = new ActivationEvent(
                Message.SCHEMA, "t", "a", "ns/x", "java", 256, 0, 1, 2, 0, 5, 0, "warm", new Slo(300, 0.999));
        assertThat(Messages.decode(Messages.encode(e), ActivationEvent.class)).isEqualTo(e);
        byte[] old = ("{\"schema\":1,\"transactionId\":\"t\",\"activationId\":\"a\",\"action\":\"ns/x\","
                        + "\"kind\":\"java\",\"memoryMb\":256,\"invoker\":0,\"arrivedAt\":1,\"waitMs\":2,\"initMs\":0,"
                        + "\"durationMs\":5,\"statusCode\":0,\"startKind\":\"warm\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Messages.decode(old, ActivationEvent.class).slo()).isEqualTo(Slo.DEFAULT);
    }

    @Test
    void aPingCarriesTheInvokersDirectEndpointAndAnOldOneHasNone() {
        HealthPing p = new HealthPing(
                Message.SCHEMA, "t", 3, 1, 4096, 1024, Map.of("warm", 1), List.of("ns/x"), List.of(), "http://h:1");
        assertThat(Messages.decode(Messages.encode(p), HealthPing.class)).isEqualTo(p);
        byte[] old = ("{\"schema\":1,\"transactionId\":\"t\",\"invoker\":3,\"sentAt\":1,\"userMemoryMb\":4096,"
                        + "\"freeMemoryMb\":1024}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Messages.decode(old, HealthPing.class).endpoint()).isNull();
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
    void actionChangesSurviveTheWireAndNeedWhatChanged() {
        ActionChange updated = ActionChange.updated("t", "guest/a", "0.0.2", 1_000);
        ActionChange deleted = ActionChange.deleted("t", "guest/a", 2_000);
        assertThat(Messages.decode(Messages.encode(updated), ActionChange.class))
                .isEqualTo(updated);
        assertThat(Messages.decode(Messages.encode(deleted), ActionChange.class))
                .isEqualTo(deleted);
        assertThat(new String(Messages.encode(deleted), StandardCharsets.UTF_8)).contains("\"change\":\"DELETED\"");
        assertThatThrownBy(() -> ActionChange.updated("t", "guest/a", null, 1)).hasMessageContaining("version");
        assertThatThrownBy(() -> new ActionChange(Message.SCHEMA, "t", " ", ActionChange.Change.DELETED, null, 1))
                .hasMessageContaining("action");
        byte[] unknown = "{\"schema\":1,\"transactionId\":\"t\",\"action\":\"guest/a\",\"change\":\"RENAMED\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Messages.decode(unknown, ActionChange.class))
                .isInstanceOf(Messages.MalformedMessageException.class);
    }

    @Test
    void anExecWithAShortDigestIsRefused() {
        assertThatThrownBy(() -> new ExecRef("java", "x", "abc")).hasMessageContaining("digest");
    }
}
