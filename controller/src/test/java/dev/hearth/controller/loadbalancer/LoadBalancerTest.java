package dev.hearth.controller.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.ExecRef;
import dev.hearth.common.json.RawJson;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.HealthPing;
import dev.hearth.common.message.Message;
import dev.hearth.common.message.Messages;
import dev.hearth.controller.activation.UnstoredActivations;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.testsupport.InMemoryMessaging;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The service around the policy: slots held and released by completion or by deadline. */
class LoadBalancerTest {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    };

    private final ControllerProperties properties = new Binder(
                    new MapConfigurationPropertySource(Map.of("hearth.controller.completion-grace", "5s")))
            .bindOrCreate(ControllerProperties.PREFIX, ControllerProperties.class);
    private final InMemoryMessaging messaging = new InMemoryMessaging();
    /** What the next direct call answers; the calls it got. */
    private final Deque<DirectInvoker.Result> answers = new ConcurrentLinkedDeque<>();

    private final UnstoredActivations unstored = new UnstoredActivations(Duration.ofSeconds(2));
    private final List<URI> directCalls = new CopyOnWriteArrayList<>();
    private final DirectInvoker direct = (endpoint, message, wait) -> {
        directCalls.add(endpoint);
        assertThat(message.activationId()).hasSize(32);
        return answers.removeFirst();
    };
    private final LoadBalancer balancer =
            new LoadBalancer(messaging, properties, clock, new Random(1), direct, unstored);

    private static ActivationMessage message(String id) {
        return new ActivationMessage(
                Message.SCHEMA,
                "tx",
                id,
                "guest",
                "guest",
                "guest/a",
                "0.0.1",
                new ExecRef("java", "a.B", "0".repeat(64)),
                new ActionLimits(1000, 256, 10, 1),
                List.of(),
                RawJson.emptyObject(),
                true,
                0,
                0);
    }

    private void ping() {
        ping(null);
    }

    private void ping(String endpoint) {
        balancer.onHealth(Messages.encode(
                new HealthPing(Message.SCHEMA, "p", 0, 0, 512, 512, Map.of(), List.of(), List.of(), endpoint)));
    }

    private static CompletionMessage completion(String id) {
        return new CompletionMessage(Message.SCHEMA, "tx", id, 0, 256, false, null);
    }

    @Test
    void aBlockingActivationGoesStraightToAnInvokerThatOffersItAndNotThroughKafka() {
        ping("http://invoker0:3236");
        String id = "c".repeat(32);
        answers.add(new DirectInvoker.Result.Completed(completion(id)));
        assertThat(balancer.invoke(message(id), Duration.ofSeconds(5))).contains(completion(id));
        assertThat(directCalls).containsExactly(URI.create("http://invoker0:3236"));
        assertThat(messaging.sent("invoker0")).isEmpty();
        assertThat(balancer.snapshot().usedMb())
                .as("the direct answer releases the slot")
                .isEmpty();
        assertThat(balancer.inFlight("guest")).isZero();
        assertThat(balancer.waitingCount()).isZero();
        assertThat(balancer.directCalls()).isEqualTo(1);
        assertThat(unstored.count())
                .as("answered before the invoker stored the record")
                .isEqualTo(1);
        // the same completion also arriving through Kafka (sent after the insert) changes nothing but that
        balancer.onCompletion(Messages.encode(completion(id)));
        assertThat(balancer.snapshot().usedMb()).isEmpty();
        assertThat(unstored.count()).isZero();
    }

    @Test
    void aFailedDirectCallFallsBackToKafkaAndTheKafkaCompletionAnswers() throws Exception {
        ping("http://invoker0:3236");
        String id = "d".repeat(32);
        answers.add(new DirectInvoker.Result.Failed("connection refused"));
        var result = CompletableFuture.supplyAsync(() -> balancer.invoke(message(id), Duration.ofSeconds(10)));
        await(() -> messaging.sent("invoker0").size() == 1);
        assertThat(Messages.decode(messaging.sent("invoker0").get(0), ActivationMessage.class)
                        .activationId())
                .isEqualTo(id);
        balancer.onCompletion(Messages.encode(completion(id)));
        assertThat(result.get(5, TimeUnit.SECONDS)).contains(completion(id));
        assertThat(balancer.snapshot().usedMb()).isEmpty();
        assertThat(balancer.directCalls()).isZero();
    }

    @Test
    void aDirectCallWhoseWaitRanOutAnswersEmptyAndKeepsTheSlotUntilTheCompletion() {
        ping("http://invoker0:3236");
        String id = "e".repeat(32);
        answers.add(new DirectInvoker.Result.TimedOut());
        assertThat(balancer.invoke(message(id), Duration.ofMillis(50))).isEmpty();
        assertThat(messaging.sent("invoker0"))
                .as("the invoker has it: not sent twice")
                .isEmpty();
        assertThat(balancer.snapshot().usedMb()).containsEntry(0, 256);
        assertThat(balancer.waitingCount()).isZero();
        balancer.onCompletion(Messages.encode(completion(id)));
        assertThat(balancer.snapshot().usedMb()).isEmpty();
    }

    @Test
    void anAlreadyAcceptedActivationIsAwaitedFromKafka() throws Exception {
        ping("http://invoker0:3236");
        String id = "f".repeat(32);
        answers.add(new DirectInvoker.Result.AlreadyAccepted());
        var result = CompletableFuture.supplyAsync(() -> balancer.invoke(message(id), Duration.ofSeconds(10)));
        await(() -> balancer.waitingCount() == 1 && answers.isEmpty());
        balancer.onCompletion(Messages.encode(completion(id)));
        assertThat(result.get(5, TimeUnit.SECONDS)).contains(completion(id));
        assertThat(messaging.sent("invoker0")).isEmpty();
    }

    @Test
    void withoutAnAdvertisedEndpointOrWithTheDirectPathOffBlockingCallsUseKafka() throws Exception {
        ping(); // no endpoint
        String id = "1".repeat(32);
        var result = CompletableFuture.supplyAsync(() -> balancer.invoke(message(id), Duration.ofSeconds(10)));
        await(() -> messaging.sent("invoker0").size() == 1);
        balancer.onCompletion(Messages.encode(completion(id)));
        assertThat(result.get(5, TimeUnit.SECONDS)).contains(completion(id));

        ControllerProperties off = new Binder(
                        new MapConfigurationPropertySource(Map.of("hearth.controller.direct.enabled", "false")))
                .bindOrCreate(ControllerProperties.PREFIX, ControllerProperties.class);
        InMemoryMessaging kafka = new InMemoryMessaging();
        LoadBalancer noDirect = new LoadBalancer(
                kafka, off, clock, new Random(1), direct, new UnstoredActivations(Duration.ofSeconds(2)));
        noDirect.onHealth(Messages.encode(new HealthPing(
                Message.SCHEMA, "p", 0, 0, 512, 512, Map.of(), List.of(), List.of(), "http://invoker0:3236")));
        String id2 = "2".repeat(32);
        assertThat(noDirect.invoke(message(id2), Duration.ofMillis(50))).isEmpty();
        assertThat(kafka.sent("invoker0")).hasSize(1);
        assertThat(directCalls).isEmpty();
    }

    @Test
    void anInvokerThatStopsAdvertisingIsReachedThroughKafkaAgain() {
        ping("http://invoker0:3236");
        ping(null);
        String id = "3".repeat(32);
        assertThat(balancer.invoke(message(id), Duration.ofMillis(50))).isEmpty();
        assertThat(messaging.sent("invoker0")).hasSize(1);
        assertThat(directCalls).isEmpty();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void completionReleasesTheSlotAndCompletesTheWaiter() {
        ping();
        var future = balancer.dispatch(message("a".repeat(32)), true).orElseThrow();
        assertThat(balancer.snapshot().usedMb()).containsEntry(0, 256);
        assertThat(balancer.inFlight("guest")).isEqualTo(1);
        balancer.onCompletion(
                Messages.encode(new CompletionMessage(Message.SCHEMA, "tx", "a".repeat(32), 0, 256, false, null)));
        assertThat(future).isCompleted();
        assertThat(balancer.snapshot().usedMb()).isEmpty();
        assertThat(balancer.inFlight("guest")).isZero();
        assertThat(balancer.waitingCount()).isZero();
    }

    @Test
    void lostCompletionIsReleasedAfterTimeoutPlusGrace() {
        ping();
        balancer.dispatch(message("b".repeat(32)), true);
        balancer.forget("b".repeat(32));
        now = now.plus(Duration.ofMillis(1000 + 4_999));
        ping();
        assertThat(balancer.snapshot().usedMb()).containsEntry(0, 256);
        now = now.plusMillis(1);
        ping();
        assertThat(balancer.snapshot().usedMb()).isEmpty();
        assertThat(balancer.waitingCount()).isZero();
    }
}
