package dev.hearth.gateway;

import dev.hearth.gateway.routing.LocalController;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A gateway started through {@link GatewayApplication#builder()} on a random port, plus a client. */
public final class RunningGateway implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public RunningGateway(String... properties) {
        this(null, properties);
    }

    /** A gateway whose context holds {@code local} (null: none), as the standalone platform's does. */
    public RunningGateway(LocalController local, String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "logging.level.root=WARN"));
        all.addAll(List.of(properties));
        SpringApplicationBuilder builder = GatewayApplication.builder().properties(all.toArray(String[]::new));
        if (local != null) {
            builder.initializers(ctx -> ctx.getBeanFactory().registerSingleton("localController", local));
        }
        this.context = builder.run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        if (port == GatewayApplication.DEFAULT_PORT) {
            context.close();
            throw new IllegalStateException("server.port=0 was ignored; the gateway took the default port");
        }
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    public HttpResponse<String> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    /**
     * A local URI on which nothing listens. The port is held by a socket that is bound but never
     * listens, for the life of the test JVM: connects are refused, and no parallel build's server can
     * take the port in the meantime (as it could one that was merely free a moment ago).
     */
    public static URI deadUri() {
        try {
            Socket holder = new Socket();
            holder.bind(new InetSocketAddress("127.0.0.1", 0));
            HELD.add(holder);
            return URI.create("http://127.0.0.1:" + holder.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final List<Socket> HELD = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void close() {
        context.close();
    }
}
