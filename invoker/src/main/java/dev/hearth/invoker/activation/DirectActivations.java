package dev.hearth.invoker.activation;

import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.Messages;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /invoker/activations}: the direct path for blocking activations. The body is an
 * {@link ActivationMessage} as it would travel on {@code invoker{N}}; the answer, as soon as the activation
 * has run, is its {@link CompletionMessage}; its record is stored right after, and then the completion
 * also goes to Kafka, as for any activation (see {@link ActivationSink}). A controller uses it when the invoker's health ping advertises it, and falls back to
 * Kafka when it cannot be reached.
 *
 * <p>Answers: 200 with the completion; 400 for a body that is not an activation message; 409 when the
 * activation id was already accepted (its completion comes through Kafka). Errors have OpenWhisk's
 * shape. Like the invoker's Kafka topic, the endpoint trusts its callers: it belongs on the platform's
 * internal network, never behind the public API.
 */
@RestController
@ConditionalOnProperty(name = "hearth.invoker.direct.enabled", havingValue = "true", matchIfMissing = true)
public class DirectActivations {
    static final String PATH = "/invoker/activations";
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "::0");

    private final ActivationService activations;

    public DirectActivations(ActivationService activations) {
        this.activations = activations;
    }

    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> run(@RequestBody byte[] body) {
        ActivationMessage message;
        try {
            message = Messages.decode(body, ActivationMessage.class);
        } catch (Messages.MalformedMessageException e) {
            return error(HttpStatus.BAD_REQUEST, "The request content was malformed: " + e.getMessage(), null);
        }
        Optional<CompletionMessage> completion = activations.runNow(message);
        if (completion.isEmpty()) {
            return error(
                    HttpStatus.CONFLICT,
                    "Activation " + message.activationId() + " was already accepted.",
                    message.transactionId());
        }
        return ResponseEntity.ok(Messages.encode(completion.get()));
    }

    /**
     * The URL to advertise: the configured one; else {@code server.address} when the server is bound to one
     * address; else this host's address (what its name resolves to: a pod's IP, a Compose container's
     * IP, the machine's address), or the loopback when the name does not resolve. Always with the
     * server's actual port unless configured.
     */
    public static URI advertisedUrl(URI configured, String serverAddress, Supplier<String> localHost, int port) {
        if (configured != null) {
            return configured;
        }
        String host = serverAddress != null && !serverAddress.isBlank() && !WILDCARDS.contains(serverAddress)
                ? serverAddress
                : localHost.get();
        if (host == null || host.isBlank()) {
            host = "127.0.0.1";
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 literal
        }
        return URI.create("http://" + host + ":" + port);
    }

    /** This host's address, or null when its name does not resolve. */
    public static String localHostAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String error, String code) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", error, "code", code == null ? "" : code));
    }
}
