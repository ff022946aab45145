package dev.hearth.invoker.container.docker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An engine in memory: each started container is a tiny HTTP server on loopback that answers
 * {@code /init} and {@code /run} like the runtime proxy (a run prints a line on each stream and the
 * sentinels). Records the calls it gets.
 */
final class StubDockerApi implements DockerApi {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<ContainerSpec> specs = new CopyOnWriteArrayList<>();
    final Map<String, Output> sinks = new ConcurrentHashMap<>();
    final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    List<String> orphans = List.of();
    boolean image = true;
    /** What start does: print READY (default), die before READY, or say nothing. */
    String onStart = "ready";
    /** Whether inspect reports an OOM kill. */
    boolean oomKilled;

    private int next;

    @Override
    public void ping() {
        calls.add("ping");
    }

    @Override
    public boolean hasImage(String name) {
        return image;
    }

    @Override
    public synchronized String create(ContainerSpec spec) {
        specs.add(spec);
        String id = "docker-" + (++next);
        calls.add("create " + id);
        return id;
    }

    @Override
    public AutoCloseable attach(String id, Output sink) {
        sinks.put(id, sink);
        calls.add("attach " + id);
        return () -> calls.add("detach " + id);
    }

    @Override
    public void start(String id) {
        calls.add("start " + id);
        Output out = sinks.get(id);
        out.chunk(true, bytes("a JVM warning before READY\n"));
        switch (onStart) {
            case "ready" -> {
                HttpServer server = proxy(out);
                servers.put(id, server);
                // split across chunks, as the engine may frame it
                out.chunk(
                        false,
                        bytes("HEARTH_PROXY_READY port=" + server.getAddress().getPort()));
                out.chunk(false, bytes(" startupMs=42\n"));
            }
            case "dies" -> {
                out.chunk(true, bytes("Error: could not start\n"));
                out.end();
            }
            case "refused" -> out.chunk(false, bytes("HEARTH_PROXY_READY port=1 startupMs=1\n"));
            default -> {} // silent: the factory times out
        }
    }

    private static HttpServer proxy(Output out) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                exchange.getRequestBody().readAllBytes();
                byte[] body = bytes(path.equals("/init") ? "{\"ok\":true,\"timings\":{\"loadMs\":3}}" : "{\"done\":1}");
                if (path.equals("/run")) {
                    out.chunk(false, bytes("hello out\n"));
                    out.chunk(true, bytes("hello err\n"));
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(body);
                }
                if (path.equals("/run")) {
                    out.chunk(false, bytes("XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n"));
                    out.chunk(true, bytes("XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n"));
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String ipAddress(String id, String network) {
        return "127.0.0.1";
    }

    @Override
    public void pause(String id) {
        calls.add("pause " + id);
    }

    @Override
    public void unpause(String id) {
        calls.add("unpause " + id);
    }

    @Override
    public void updateCpuShares(String id, int cpuShares) {
        calls.add("cpu-shares " + id + " " + cpuShares);
    }

    @Override
    public int cpuShares(String id) {
        return 0;
    }

    @Override
    public void remove(String id) {
        calls.add("remove " + id);
        HttpServer server = servers.remove(id);
        if (server != null) {
            server.stop(0);
        }
        Output out = sinks.remove(id);
        if (out != null) {
            out.end();
        }
    }

    @Override
    public List<String> listByLabel(String key, String value) {
        calls.add("list " + key + "=" + value);
        return new ArrayList<>(orphans);
    }

    @Override
    public long pid(String id) {
        return 4242;
    }

    @Override
    public Status inspect(String id) {
        return new Status(false, false, oomKilled, 137L);
    }

    @Override
    public void close() {
        calls.add("close");
    }
}
