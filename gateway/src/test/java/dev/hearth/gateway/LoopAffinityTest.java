package dev.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each client connection's requests reach the controller on one connection of the event loop that reads
 * them, whatever other loops' connections sit idle in the gateway's pool.
 *
 * <p>Eight client connections take turns, one request at a time: the server spreads them over its loops,
 * so requests read on different loops alternate. With one pool for all loops each request took the idle
 * connection the previous one had released, opened on whichever loop first needed it, and that loop's
 * thread wrote the request and read the answer for the loop that had read it: every call woke two threads.
 */
class LoopAffinityTest {

    @Test
    void requestsReadOnOneLoopGoOutOnThatLoopsOwnConnection() throws Exception {
        try (StubController controller = new StubController("c");
                RunningGateway gateway = new RunningGateway("hearth.gateway.controllers=" + controller.uri())) {
            List<RawHttpConnection> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    clients.add(new RawHttpConnection(gateway.uri("/"), Duration.ofSeconds(5)));
                }
                Map<Integer, Set<Integer>> portsByClient = new HashMap<>();
                for (int round = 0; round < 4; round++) {
                    for (int c = 0; c < clients.size(); c++) {
                        RawHttpConnection client = clients.get(c);
                        client.send(client.post("/api/v1/echo", "{\"c\":" + c + "}"));
                        assertThat(client.read().body()).isEqualTo("{\"c\":" + c + "}");
                        portsByClient
                                .computeIfAbsent(c, k -> new HashSet<>())
                                .add(controller.last().fromPort());
                    }
                }

                assertThat(portsByClient.values())
                        .as("controller connections each client connection's requests came on")
                        .allSatisfy(ports -> assertThat(ports).hasSize(1));
                Set<Integer> all = new HashSet<>();
                portsByClient.values().forEach(all::addAll);
                assertThat(all).as("one controller connection per loop in use").hasSizeGreaterThan(1);
            } finally {
                for (RawHttpConnection client : clients) {
                    client.close();
                }
            }
        }
    }
}
