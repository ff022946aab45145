package dev.hearth.controller.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.controller.loadbalancer.LoadBalancer;
import dev.hearth.controller.support.ControllerHarness;
import dev.hearth.controller.support.ControllerHarness.Reply;
import dev.hearth.controller.support.FakeInvoker;
import dev.hearth.controller.support.Jars;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direct path of blocking activations through the real controller and its real HTTP client: an
 * invoker that serves {@code POST /invoker/activations} gets blocking calls there and nothing on Kafka;
 * one that advertises an endpoint nobody listens on still gets them, through Kafka.
 */
class DirectPathTest {
    private static final String ACTION = "/api/v1/namespaces/_/actions/direct";
    static ControllerHarness controller;

    @BeforeAll
    static void start() {
        controller = ControllerHarness.start();
        assertThat(controller.put(ACTION, Jars.javaAction("direct", null)).status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        controller.close();
    }

    static void awaitInvoker() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (controller.bean(LoadBalancer.class).snapshot().invokers().isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void blockingCallsGoToTheInvokersEndpointAndFallBackToKafkaWhenItIsDead() throws Exception {
        LoadBalancer balancer = controller.bean(LoadBalancer.class);
        try (FakeInvoker invoker = new FakeInvoker(controller.messaging, controller.jdbc, 0, 2048)
                .start()
                .serveDirect()) {
            awaitInvoker();
            long before = balancer.directCalls();
            Reply r = controller.post(ACTION + "?blocking=true&result=true", "{\"v\":7}");
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.json().get("v").asInt()).isEqualTo(7);
            assertThat(invoker.receivedDirectly).hasSize(1);
            assertThat(invoker.received).as("not through Kafka").isEmpty();
            assertThat(balancer.directCalls()).isEqualTo(before + 1);
            assertThat(balancer.snapshot().usedMb())
                    .as("the answer released the slot")
                    .isEmpty();

            // answered before the invoker stored the record: reading it right away still finds it
            Reply full = controller.post(ACTION + "?blocking=true", "{\"v\":6}");
            assertThat(full.status()).as(full.text()).isEqualTo(200);
            String id = full.json().get("activationId").asString();
            long t0 = System.nanoTime();
            Reply read = controller.get("/api/v1/namespaces/_/activations/" + id);
            assertThat(read.status()).as(read.text()).isEqualTo(200);
            assertThat(read.json().get("response").get("result").get("v").asInt())
                    .isEqualTo(6);
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .as("the read waited for the insert, not for the limit")
                    .isLessThan(Duration.ofSeconds(2));
            Reply listed = controller.get("/api/v1/namespaces/_/activations?limit=1");
            assertThat(listed.json().get(0).get("activationId").asString()).isEqualTo(id);

            Reply async = controller.post(ACTION + "?blocking=false", "{\"v\":8}");
            assertThat(async.status()).isEqualTo(202);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (invoker.received.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(invoker.received)
                    .as("non-blocking calls go through Kafka")
                    .hasSize(1);
            assertThat(invoker.receivedDirectly).hasSize(2);

            int deadPort;
            try (ServerSocket s = new ServerSocket(0)) {
                deadPort = s.getLocalPort(); // closed again: connections are refused
            }
            invoker.advertise("http://127.0.0.1:" + deadPort);
            Thread.sleep(300); // the ping with the dead endpoint is read
            long directBefore = balancer.directCalls();
            Reply fallback = controller.post(ACTION + "?blocking=true&result=true", "{\"v\":9}");
            assertThat(fallback.status()).as(fallback.text()).isEqualTo(200);
            assertThat(fallback.json().get("v").asInt()).isEqualTo(9);
            assertThat(invoker.received).as("delivered through Kafka instead").hasSize(2);
            assertThat(balancer.directCalls()).isEqualTo(directBefore);
            assertThat(balancer.waitingCount()).isZero();
        }
    }
}
