package dev.hearth.controller.support;

import com.sun.net.httpserver.HttpServer;
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
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
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
 * {@link #advertise} puts a direct endpoint in its pings; {@link #serveDirect} serves one for real
 * (a JDK HTTP server answering {@code POST /invoker/activations} with the completion; as the invoker does,
 * it stores the record only after answering, {@link #DIRECT_STORE_DELAY} later, then sends the
 * completion to Kafka too).
 */
public final class FakeInvoker implements AutoCloseable {
    private final InMemoryMessaging messaging;
    private final JdbcClient jdbc;
    private final int id;
    private final int userMemoryMb;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private MessageFeed feed;
    public final List<ActivationMessage> received = new CopyOnWriteArrayList<>();
    /** Activations that came over the direct endpoint. */
    public final List<ActivationMessage> receivedDirectly = new CopyOnWriteArrayList<>();
    /** How long after answering a direct call its record is stored (long enough to be read before it). */
    public static final Duration DIRECT_STORE_DELAY = Duration.ofMillis(300);

    private volatile String endpoint;
    private HttpServer server;

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
                                List.of(),
                                endpoint)));
    }

    /** Pings advertise {@code url} as this invoker's direct endpoint from now on (null: none). */
    public FakeInvoker advertise(String url) {
        endpoint = url;
        ping();
        return this;
    }

    /** Serves {@code POST /invoker/activations} on a loopback port and advertises it. */
    public FakeInvoker serveDirect() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/invoker/activations", exchange -> {
            ActivationMessage m = Messages.decode(exchange.getRequestBody().readAllBytes(), ActivationMessage.class);
            receivedDirectly.add(m);
            CompletionMessage completion =
                    completion(m, ActivationResponse.success(m.content().tree()));
            byte[] body = Messages.encode(completion);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            // as the invoker does: answer first, then store, then the completion through Kafka
            timer.schedule(
                    () -> {
                        insert(completion.activation(), m.action());
                        messaging.producer().send(Topics.completed(m.controller()), Messages.encode(completion));
                    },
                    DIRECT_STORE_DELAY.toMillis(),
                    TimeUnit.MILLISECONDS);
        });
        server.start();
        return advertise("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void onActivation(byte[] bytes) {
        ActivationMessage m = Messages.decode(bytes, ActivationMessage.class);
        received.add(m);
        JsonNode mode = m.content().tree().get("mode");
        String how = mode == null ? "ok" : mode.asString();
        switch (how) {
            case "silent" -> {}
            case "slow" ->
                timer.schedule(
                        () -> complete(m, ActivationResponse.success(m.content().tree())),
                        m.content().tree().get("ms").asLong(),
                        TimeUnit.MILLISECONDS);
            case "fail" ->
                complete(m, ActivationResponse.applicationError(Json.object().put("error", "boom")));
            case "whisk" -> complete(m, ActivationResponse.whiskError("the platform failed"));
            default -> complete(m, ActivationResponse.success(m.content().tree()));
        }
    }

    /** Writes the record as an invoker would and sends the completion. */
    public void complete(ActivationMessage m, ActivationResponse response) {
        messaging.producer().send(Topics.completed(m.controller()), Messages.encode(store(m, response)));
    }

    /** Writes the record as an invoker would; returns the completion. */
    private CompletionMessage store(ActivationMessage m, ActivationResponse response) {
        CompletionMessage completion = completion(m, response);
        insert(completion.activation(), m.action());
        return completion;
    }

    private void insert(Activation a, String action) {
        String name = action.substring(action.indexOf('/') + 1);
        jdbc.sql("insert into activations (activation_id, namespace, name, start_ms, end_ms, status_code, record) "
                        + "values (?, ?, ?, ?, ?, ?, ?::jsonb)")
                .params(
                        a.activationId(),
                        a.namespace(),
                        name,
                        a.start(),
                        a.end(),
                        a.response().statusCode(),
                        Json.toString(a))
                .update();
    }

    private CompletionMessage completion(ActivationMessage m, ActivationResponse response) {
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
        return new CompletionMessage(
                Message.SCHEMA,
                m.transactionId(),
                m.activationId(),
                id,
                m.limits().memory(),
                false,
                a);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (server != null) {
            server.stop(0);
        }
        if (feed != null) {
            feed.close();
        }
    }
}
