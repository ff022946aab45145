package dev.hearth.controller.support;

import dev.hearth.common.entity.Activation;
import dev.hearth.common.entity.ActivationResponse;
import dev.hearth.common.entity.KeyValue;
import dev.hearth.common.json.Json;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.HealthPing;
import dev.hearth.common.message.Message;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageFeed;
import dev.hearth.testsupport.InMemoryMessaging;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * An invoker for controller tests: pings {@code health}, consumes {@code invoker{N}}, writes an
 * activation row and sends a completion. What it does is chosen by the {@code mode} parameter:
 * absent = success with the parameters as result; {@code fail} = application error; {@code whisk} =
 * platform error; {@code slow} = success after {@code ms} milliseconds; {@code silent} = nothing.
 */
public final class FakeInvoker implements AutoCloseable {
    private final InMemoryMessaging messaging;
    private final JdbcClient jdbc;
    private final int id;
    private final int userMemoryMb;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private MessageFeed feed;
    public final List<ActivationMessage> received = new CopyOnWriteArrayList<>();

    public FakeInvoker(InMemoryMessaging messaging, JdbcClient jdbc, int id, int userMemoryMb) {
        this.messaging = messaging;
        this.jdbc = jdbc;
        this.id = id;
        this.userMemoryMb = userMemoryMb;
    }

    /** Starts consuming and pinging every 100 ms. */
    public FakeInvoker start() {
        feed = new MessageFeed(
                        "fake-invoker" + id,
                        messaging.consumer(Topics.invoker(id), "invoker" + id, false, 10),
                        this::onActivation)
                .start();
        timer.scheduleAtFixedRate(this::ping, 0, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    public void ping() {
        messaging
                .producer()
                .send(
                        Topics.HEALTH,
                        Messages.encode(new HealthPing(
                                Message.SCHEMA,
                                "ping",
                                id,
                                System.currentTimeMillis(),
                                userMemoryMb,
                                userMemoryMb,
                                Map.of(),
                                List.of(),
                                List.of())));
    }

    private void onActivation(byte[] bytes) {
        ActivationMessage m = Messages.decode(bytes, ActivationMessage.class);
        received.add(m);
        JsonNode mode = m.content().get("mode");
        String how = mode == null ? "ok" : mode.asString();
        switch (how) {
            case "silent" -> {}
            case "slow" ->
                timer.schedule(
                        () -> complete(m, ActivationResponse.success(m.content())),
                        m.content().get("ms").asLong(),
                        TimeUnit.MILLISECONDS);
            case "fail" ->
                complete(m, ActivationResponse.applicationError(Json.object().put("error", "boom")));
            case "whisk" -> complete(m, ActivationResponse.whiskError("the platform failed"));
            default -> complete(m, ActivationResponse.success(m.content()));
        }
    }

    /** Writes the record as an invoker would and sends the completion. */
    public void complete(ActivationMessage m, ActivationResponse response) {
        long end = System.currentTimeMillis();
        long start = end - 5;
        String name = m.action().substring(m.action().indexOf('/') + 1);
        String simple = name.substring(name.lastIndexOf('/') + 1);
        Activation a = new Activation(
                m.namespace(),
                simple,
                m.subject(),
                m.activationId(),
                start,
                end,
                end - start,
                response,
                List.of("2024-01-01T00:00:00Z stdout: hello"),
                m.version(),
                false,
                List.of(
                        new KeyValue("path", StringNode.valueOf(m.action())),
                        new KeyValue("kind", StringNode.valueOf(m.exec().kind())),
                        new KeyValue("limits", Json.mapper().valueToTree(m.limits())),
                        new KeyValue("waitTime", Json.mapper().valueToTree(3))));
        jdbc.sql("insert into activations (activation_id, namespace, name, start_ms, end_ms, status_code, record) "
                        + "values (?, ?, ?, ?, ?, ?, ?::jsonb)")
                .params(m.activationId(), m.namespace(), name, start, end, response.statusCode(), Json.toString(a))
                .update();
        messaging
                .producer()
                .send(
                        Topics.completed(m.controller()),
                        Messages.encode(new CompletionMessage(
                                Message.SCHEMA,
                                m.transactionId(),
                                m.activationId(),
                                id,
                                m.limits().memory(),
                                false,
                                a)));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (feed != null) {
            feed.close();
        }
    }
}
