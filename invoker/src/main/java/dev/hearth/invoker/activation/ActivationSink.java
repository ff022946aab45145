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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Where a finished activation goes, in order: a row in {@code activations} (a redelivered message
 * does not insert twice), the completion to {@code completed{controller}}, the event to
 * {@code events}. A failed insert is logged and the completion still goes out: a blocking caller
 * must never hang. The completion goes to Kafka for direct calls too: it releases the controller's
 * slot when the HTTP answer is lost or the caller stopped waiting (a duplicate is harmless there), and
 * it tells the controller that the record is stored.
 *
 * <p>A direct call is answered first ({@link #answerFirst}): its completion is returned at once and the
 * insert and the sends run right after on their own thread, so the caller does not wait for the
 * database's round trip (~1 ms). OpenWhisk's invokers do the same (result first, record after). The
 * controller that answered keeps its reads consistent: it holds queries of that namespace until the
 * completion arrives through Kafka, which is sent only after the insert (see the controller's
 * {@code UnstoredActivations}). An invoker that dies in between loses that one record.
 */
final class ActivationSink {
    private static final Logger log = LoggerFactory.getLogger(ActivationSink.class);

    private final JdbcClient jdbc;
    private final MessageProducer producer;
    private final int invoker;

    ActivationSink(JdbcClient jdbc, MessageProducer producer, int invoker) {
        this.jdbc = jdbc;
        this.producer = producer;
        this.invoker = invoker;
    }

    /** Stores, sends and returns the completion. */
    CompletionMessage accept(Activation a, int controller, int memoryMb, ActivationEvent event) {
        CompletionMessage completion = completion(a, memoryMb, event);
        storeAndSend(completion, controller, event);
        return completion;
    }

    /** Returns the completion now; stores and sends it on {@code background} (see the class comment). */
    CompletionMessage answerFirst(
            Activation a, int controller, int memoryMb, ActivationEvent event, Executor background) {
        CompletionMessage completion = completion(a, memoryMb, event);
        try {
            background.execute(() -> storeAndSend(completion, controller, event));
        } catch (RejectedExecutionException e) { // shutting down: store on this thread, then answer
            storeAndSend(completion, controller, event);
        }
        return completion;
    }

    private CompletionMessage completion(Activation a, int memoryMb, ActivationEvent event) {
        boolean systemError = a.response().statusCode() == ActivationResponse.WHISK_ERROR;
        return new CompletionMessage(
                Message.SCHEMA, event.transactionId(), a.activationId(), invoker, memoryMb, systemError, a);
    }

    private void storeAndSend(CompletionMessage completion, int controller, ActivationEvent event) {
        Activation a = completion.activation();
        try {
            jdbc.sql("""
                    insert into activations (activation_id, namespace, name, start_ms, end_ms, status_code, record)
                    values (?, ?, ?, ?, ?, ?, cast(? as jsonb))
                    on conflict (activation_id) do nothing""")
                    .params(
                            a.activationId(),
                            a.namespace(),
                            a.name(),
                            a.start(),
                            a.end(),
                            a.response().statusCode(),
                            Json.toString(a))
                    .update();
        } catch (RuntimeException e) {
            log.error("cannot store activation {}: {}", a.activationId(), e.toString());
        }
        send(Topics.completed(controller), Messages.encode(completion), a.activationId());
        send(Topics.EVENTS, Messages.encode(event), a.activationId());
    }

    private void send(String topic, byte[] bytes, String activationId) {
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
