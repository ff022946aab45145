package dev.hearth.invoker.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.entity.Activation;
import dev.hearth.common.entity.ActivationResponse;
import dev.hearth.common.json.Json;
import dev.hearth.common.message.ActivationEvent;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.Message;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageProducer;
import dev.hearth.testsupport.CountingDataSource;
import dev.hearth.testsupport.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The sink against a real PostgreSQL: batches stored with one statement, and what one bad record costs. */
class ActivationSinkTest {
    /** What was sent, in order, with the rows stored at the moment of each send. */
    record Sent(String topic, String activationId, long rowsThen) {}

    JdbcClient jdbc;
    final List<Sent> sent = new ArrayList<>();
    ActivationSink sink;
    MessageProducer producer;

    @BeforeEach
    void freshDatabase() {
        TestDatabase.Database d = TestDatabase.fresh();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(d.jdbcUrl());
        ds.setUser(d.user());
        ds.setPassword(d.password());
        jdbc = JdbcClient.create(ds);
        producer = (topic, bytes) -> {
            String id = topic.equals(Topics.EVENTS)
                    ? Messages.decode(bytes, ActivationEvent.class).activationId()
                    : Messages.decode(bytes, CompletionMessage.class).activationId();
            sent.add(new Sent(topic, id, rows()));
            return CompletableFuture.completedFuture(null);
        };
        sink = new ActivationSink(jdbc, producer, producer, 0, LocalCompletions.NONE);
    }

    long rows() {
        return jdbc.sql("select count(*) from activations").query(Long.class).single();
    }

    static ActivationSink.Finished finished(int n, String result) {
        String id = String.format("%032x", n);
        Activation a = new Activation(
                "guest",
                "a",
                "guest",
                id,
                1000L + n,
                1010L + n,
                10,
                ActivationResponse.success(Json.tree(result)),
                List.of(),
                "0.0.1",
                false,
                List.of());
        CompletionMessage completion = new CompletionMessage(Message.SCHEMA, "tx", id, 0, 256, false, a);
        ActivationEvent event = new ActivationEvent(
                Message.SCHEMA, "tx", id, "guest/a", "java", 256, 0, 1000L, 1, 0, 10, 0, "warm", null);
        return new ActivationSink.Finished(completion, 7, event);
    }

    @Test
    void aBatchIsStoredBeforeEachCompletionAndEventGoesOut() {
        sink.storeAndSend(List.of(finished(1, "{\"n\":1}"), finished(2, "{\"n\":2}"), finished(3, "{\"n\":3}")));

        assertThat(rows()).isEqualTo(3);
        assertThat(jdbc.sql("select record->'response'->'result'->>'n' from activations where activation_id = ?")
                        .param(String.format("%032x", 2))
                        .query(String.class)
                        .single())
                .isEqualTo("2");
        assertThat(sent).hasSize(6).allSatisfy(s -> assertThat(s.rowsThen()).isEqualTo(3));
        assertThat(sent.stream()
                        .filter(s -> s.topic().equals(Topics.completed(7)))
                        .map(Sent::activationId))
                .containsExactly(String.format("%032x", 1), String.format("%032x", 2), String.format("%032x", 3));
        assertThat(sent.stream().filter(s -> s.topic().equals(Topics.EVENTS))).hasSize(3);
    }

    @Test
    void eventsGoThroughTheEventsProducerAndCompletionsThroughTheOther() {
        List<String> batched = new ArrayList<>();
        ActivationSink split = new ActivationSink(
                jdbc,
                producer,
                (topic, bytes) -> {
                    batched.add(topic);
                    return CompletableFuture.completedFuture(null);
                },
                0,
                LocalCompletions.NONE);

        split.storeAndSend(List.of(finished(1, "{\"n\":1}"), finished(2, "{\"n\":2}")));

        assertThat(batched).containsExactly(Topics.EVENTS, Topics.EVENTS);
        assertThat(sent).extracting(Sent::topic).containsExactly(Topics.completed(7), Topics.completed(7));
    }

    @Test
    void aCompletionForAControllerInThisJvmIsHandedOverAfterTheInsertAndOnlyTheEventGoesToKafka() {
        List<Sent> handed = new ArrayList<>();
        ActivationSink withLocal = new ActivationSink(jdbc, producer, producer, 0, (controller, completion) -> {
            handed.add(new Sent("controller" + controller, completion.activationId(), rows()));
            return true;
        });

        withLocal.storeAndSend(List.of(finished(1, "{\"n\":1}"), finished(2, "{\"n\":2}")));

        assertThat(handed)
                .containsExactly(
                        new Sent("controller7", String.format("%032x", 1), 2),
                        new Sent("controller7", String.format("%032x", 2), 2));
        assertThat(sent).extracting(Sent::topic).containsExactly(Topics.EVENTS, Topics.EVENTS);
    }

    @Test
    void aCompletionNoControllerInThisJvmTakesOrWhoseHandOverFailsGoesThroughKafka() {
        ActivationSink notHere = new ActivationSink(jdbc, producer, producer, 0, (controller, completion) -> false);
        ActivationSink failing = new ActivationSink(jdbc, producer, producer, 0, (controller, completion) -> {
            throw new IllegalStateException("controller stopped");
        });

        notHere.storeAndSend(List.of(finished(1, "{\"n\":1}")));
        failing.storeAndSend(List.of(finished(2, "{\"n\":2}")));

        assertThat(sent.stream()
                        .filter(s -> s.topic().equals(Topics.completed(7)))
                        .map(Sent::activationId))
                .containsExactly(String.format("%032x", 1), String.format("%032x", 2));
    }

    @Test
    void aRecordTheDatabaseRefusesLosesOnlyItselfAndItsCompletionStillGoesOut() {
        // jsonb cannot hold a NUL character: PostgreSQL refuses the whole statement
        sink.storeAndSend(
                List.of(finished(1, "{\"n\":1}"), finished(2, "{\"n\":\"a\\u0000b\"}"), finished(3, "{\"n\":3}")));

        assertThat(jdbc.sql("select activation_id from activations order by activation_id")
                        .query(String.class)
                        .list())
                .containsExactly(String.format("%032x", 1), String.format("%032x", 3));
        assertThat(sent.stream().filter(s -> s.topic().equals(Topics.completed(7))))
                .hasSize(3);
    }

    @Test
    void withTheDatabaseGoneTheCompletionsStillGoOutAndNoRowIsTriedAlone() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
        CountingDataSource counting = new CountingDataSource(nowhere);
        JdbcClient gone = JdbcClient.create(counting.dataSource());
        MessageProducer noting = (topic, bytes) -> {
            sent.add(new Sent(topic, "", 0));
            return CompletableFuture.completedFuture(null);
        };
        ActivationSink goneSink = new ActivationSink(gone, noting, noting, 0, LocalCompletions.NONE);

        goneSink.storeAndSend(List.of(finished(1, "{\"n\":1}"), finished(2, "{\"n\":2}"), finished(3, "{\"n\":3}")));

        assertThat(counting.connections())
                .as("one attempt for the batch, none per row")
                .hasValue(1);
        assertThat(sent.stream().filter(s -> s.topic().equals(Topics.completed(7))))
                .hasSize(3);
    }

    @Test
    void aRecordStoredAgainIsKeptOnce() {
        sink.storeAndSend(List.of(finished(1, "{\"n\":1}")));
        sink.storeAndSend(List.of(finished(1, "{\"n\":1}"), finished(1, "{\"n\":1}"), finished(2, "{\"n\":2}")));

        assertThat(rows()).isEqualTo(2);
    }
}
