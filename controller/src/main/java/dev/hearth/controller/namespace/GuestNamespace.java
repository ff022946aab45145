package dev.hearth.controller.namespace;

import dev.hearth.controller.config.ControllerProperties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes the {@code guest} namespace on start when it does not exist: with the configured
 * {@code hearth.controller.guest.key}, or with a generated key that is logged once. Namespaces listed
 * under {@code hearth.controller.namespaces.<name>=<uuid>:<key>} are made the same way. An existing
 * namespace is left alone (its key is not changed).
 */
@Component
class GuestNamespace implements ApplicationRunner {
    static final String NAME = "guest";
    private static final Logger log = LoggerFactory.getLogger(GuestNamespace.class);

    private final NamespaceStore store;
    private final ControllerProperties properties;

    GuestNamespace(NamespaceStore store, ControllerProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        properties.namespaces().forEach((name, auth) -> {
            int colon = auth.indexOf(':');
            if (store.createIfAbsent(name, UUID.fromString(auth.substring(0, colon)), auth.substring(colon + 1))) {
                log.info("created namespace '{}' with the configured key", name);
            }
        });
        if (store.exists(NAME)) {
            return;
        }
        String auth = properties.guest().key().orElse(null);
        boolean generated = auth == null;
        if (generated) {
            auth = UUID.randomUUID() + ":" + KeyHash.randomKey();
        }
        int colon = auth.indexOf(':');
        if (store.createIfAbsent(NAME, UUID.fromString(auth.substring(0, colon)), auth.substring(colon + 1))) {
            if (generated) {
                log.info("created namespace '{}' with a generated key; use it as the API key: {}", NAME, auth);
            } else {
                log.info("created namespace '{}' with the configured key", NAME);
            }
        }
    }
}
