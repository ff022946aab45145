package dev.hearth.controller.namespace;

import dev.hearth.controller.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * HTTP Basic {@code uuid:key} authentication. Stored credentials (salt and hash, never the key) are
 * cached by uuid for a short while; every request still hashes its key and compares in constant
 * time. A namespace deleted or re-keyed in the database is seen within {@link #TTL}.
 */
@Component
public class Authenticator {
    static final Duration TTL = Duration.ofSeconds(30);
    private static final int MAX_ENTRIES = 10_000;

    private record Cached(Optional<NamespaceStore.Credentials> credentials, Instant expires) {}

    private final NamespaceStore store;
    private final Clock clock;
    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

    Authenticator(NamespaceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The identity of an {@code Authorization} header; 401 when it is missing or wrong. */
    public Identity authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiException.Unauthorized(ApiException.AUTH_MISSING);
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new ApiException.Unauthorized(ApiException.AUTH_INVALID);
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException.Unauthorized(ApiException.AUTH_INVALID);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new ApiException.Unauthorized(ApiException.AUTH_INVALID);
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(decoded.substring(0, colon));
        } catch (IllegalArgumentException e) {
            throw new ApiException.Unauthorized(ApiException.AUTH_INVALID);
        }
        String key = decoded.substring(colon + 1);
        return credentials(uuid)
                .filter(c -> c.key().matches(key))
                .map(c -> new Identity(c.namespace(), c.uuid()))
                .orElseThrow(() -> new ApiException.Unauthorized(ApiException.AUTH_INVALID));
    }

    private Optional<NamespaceStore.Credentials> credentials(UUID uuid) {
        Instant now = clock.instant();
        Cached cached = cache.get(uuid);
        if (cached != null && cached.expires().isAfter(now)) {
            return cached.credentials();
        }
        Optional<NamespaceStore.Credentials> found = store.byUuid(uuid);
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(uuid, new Cached(found, now.plus(TTL)));
        return found;
    }
}
