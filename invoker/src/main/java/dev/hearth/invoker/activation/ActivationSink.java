package dev.hearth.invoker.activation;

import dev.hearth.common.entity.Activation;
import dev.hearth.common.entity.ActivationResponse;
import dev.hearth.common.json.Json;
import dev.hearth.common.message.ActivationEvent;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.Message;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageProducer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Where a finished activation goes, in order: a row in {@code activations} (a redelivered message
 * does not insert twice), the completion to {@code completed{controller}} (or straight to that controller
 * when it runs in this JVM, see {@link LocalCompletions}), the event to {@code events} (through a producer
 * that may hold it a moment to send it with others: the scheduler reads events in batches). A failed insert is
 * logged and the completion still goes out: a blocking caller must never hang. Direct calls' completions go
 * out too: they release the controller's slot when the HTTP answer is lost or the caller stopped waiting (a
 * duplicate is harmless there), and they tell the controller that the record is stored.
 *
 * <p>A direct call is answered first ({@link #answerFirst}): its completion is returned at once and the
 * insert and the sends follow on the {@link DeferredRecords} writer, with the records of other answered
 * calls, so the caller does not wait for them. OpenWhisk's invokers do the same (result
 * first, record after, in batches). The controller that answered keeps its reads consistent: it holds
 * queries of that namespace until the completion arrives through Kafka, which is sent only after the
 * insert (see the controller's {@code UnstoredActivations}). An invoker that dies in between loses those
 * records.
 *
 * <p>Records are inserted with one statement per batch. A batch whose data the database refuses (a string
 * with a NUL character, which {@code jsonb} cannot hold) is inserted row by row, so one bad record loses only
 * itself; a batch that fails otherwise (the database is down) is logged and its completions still go out,
 * without trying each row against a database that is not there.
 */
final class ActivationSink {
    private static final Logger log = LoggerFactory.getLogger(ActivationSink.class);

    private final JdbcClient jdbc;
    private final MessageProducer producer;
    private final MessageProducer events;
    private final int invoker;
    private final LocalCompletions local;

    /**
     * {@code producer} sends completions, {@code events} the events; {@code local}: completions for a controller
     * in this JVM go to it directly, not through Kafka.
     */
    ActivationSink(
            JdbcClient jdbc, MessageProducer producer, MessageProducer events, int invoker, LocalCompletions local) {
        this.jdbc = jdbc;
        this.producer = producer;
        this.events = events;
        this.invoker = invoker;
        this.local = local;
    }

    /** A finished activation on its way to the store and to Kafka. */
    record Finished(CompletionMessage completion, int controller, ActivationEvent event) {}

    /** Stores, sends and returns the completion. */
    CompletionMessage accept(Activation a, int controller, int memoryMb, ActivationEvent event) {
        CompletionMessage completion = completion(a, memoryMb, event);
        storeAndSend(List.of(new Finished(completion, controller, event)));
        return completion;
    }

    /** Returns the completion now; {@code later} stores and sends it (see the class comment). */
    CompletionMessage answerFirst(
            Activation a, int controller, int memoryMb, ActivationEvent event, DeferredRecords<Finished> later) {
        CompletionMessage completion = completion(a, memoryMb, event);
        later.add(new Finished(completion, controller, event));
        return completion;
    }

    private CompletionMessage completion(Activation a, int memoryMb, ActivationEvent event) {
        boolean systemError = a.response().statusCode() == ActivationResponse.WHISK_ERROR;
        return new CompletionMessage(
                Message.SCHEMA, event.transactionId(), a.activationId(), invoker, memoryMb, systemError, a);
    }

    /** Inserts the records (see the class comment), then sends each completion and event. */
    void storeAndSend(List<Finished> batch) {
        try {
            insert(batch);
        } catch (RuntimeException e) {
            if (batch.size() == 1 || !(e instanceof DataIntegrityViolationException)) {
                log.error(
                        "cannot store {} activation(s), the first {}: {}",
                        batch.size(),
                        batch.getFirst().completion().activationId(),
                        e.toString());
            } else {
                log.warn("cannot store {} activations at once ({}): one by one", batch.size(), e.toString());
                for (Finished f : batch) {
                    try {
                        insert(List.of(f));
                    } catch (RuntimeException one) {
                        log.error(
                                "cannot store activation {}: {}", f.completion().activationId(), one.toString());
                    }
                }
            }
        }
        for (Finished f : batch) {
            String id = f.completion().activationId();
            if (!deliverLocally(f)) {
                send(producer, Topics.completed(f.controller()), Messages.encode(f.completion()), id);
            }
            send(events, Topics.EVENTS, Messages.encode(f.event()), id);
        }
    }

    private void insert(List<Finished> batch) {
        StringBuilder sql = new StringBuilder(
                "insert into activations (activation_id, namespace, name, start_ms, end_ms, status_code, record) values ");
        List<Object> params = new ArrayList<>(batch.size() * 7);
        for (Finished f : batch) {
            Activation a = f.completion().activation();
            sql.append(params.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?, ?, cast(? as jsonb))");
            params.addAll(List.of(
                    a.activationId(),
                    a.namespace(),
                    a.name(),
                    a.start(),
                    a.end(),
                    a.response().statusCode(),
                    Json.toString(a)));
        }
        sql.append(" on conflict (activation_id) do nothing");
        jdbc.sql(sql.toString()).params(params).update();
    }

    /** Whether a controller in this JVM took the completion; what it throws is logged (Kafka then carries it). */
    private boolean deliverLocally(Finished f) {
        try {
            return local.deliver(f.controller(), f.completion());
        } catch (RuntimeException e) {
            log.error(
                    "cannot hand over the completion of activation {} in this JVM: {}",
                    f.completion().activationId(),
                    e.toString());
            return false;
        }
    }

    private static void send(MessageProducer producer, String topic, byte[] bytes, String activationId) {
        try {
            producer.send(topic, bytes).whenComplete((ok, e) -> {
                if (e != null) {
                    log.error("cannot send {} of activation {}: {}", topic, activationId, e.toString());
                }
            });
        } catch (RuntimeException e) {
            log.error("cannot send {} of activation {}: {}", topic, activationId, e.toString());
        }
    }
}
