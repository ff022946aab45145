package dev.hearth.controller.namespace;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code namespaces} table. */
@Repository
class NamespaceStore {
    /** A namespace's stored credentials. */
    record Credentials(String namespace, UUID uuid, KeyHash key) {}

    private final JdbcClient jdbc;

    NamespaceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Credentials> byUuid(UUID uuid) {
        return jdbc.sql("select name, uuid, key_salt, key_hash from namespaces where uuid = ?")
                .param(uuid)
                .query((rs, i) -> new Credentials(
                        rs.getString(1), rs.getObject(2, UUID.class), new KeyHash(rs.getString(3), rs.getString(4))))
                .optional();
    }

    boolean exists(String name) {
        return jdbc.sql("select count(*) from namespaces where name = ?")
                        .param(name)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Creates the namespace unless one by that name exists; true when created. */
    boolean createIfAbsent(String name, UUID uuid, String key) {
        KeyHash hash = KeyHash.of(key);
        return jdbc.sql("insert into namespaces (name, uuid, key_salt, key_hash) values (?, ?, ?, ?) "
                                + "on conflict (name) do nothing")
                        .params(name, uuid, hash.saltHex(), hash.hashHex())
                        .update()
                > 0;
    }
}
