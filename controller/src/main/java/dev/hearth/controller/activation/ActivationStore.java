package dev.hearth.controller.activation;

import dev.hearth.common.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/** Reads the {@code activations} table; the invokers write it. */
@Repository
class ActivationStore {
    /** A list query; null fields do not filter. */
    record Query(String namespace, String name, Long since, Long upto, int limit, int skip) {}

    private final JdbcClient jdbc;

    ActivationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<JsonNode> find(String namespace, String activationId) {
        return jdbc.sql("select record::text from activations where activation_id = ? and namespace = ?")
                .params(activationId, namespace)
                .query((rs, i) -> Json.tree(rs.getString(1)))
                .optional();
    }

    /** Records newest first (by start). */
    List<JsonNode> list(Query q) {
        StringBuilder sql = new StringBuilder("select record::text from activations where namespace = ?");
        List<Object> params = new ArrayList<>();
        params.add(q.namespace());
        if (q.name() != null) {
            sql.append(" and name = ?");
            params.add(q.name());
        }
        if (q.since() != null) {
            sql.append(" and start_ms >= ?");
            params.add(q.since());
        }
        if (q.upto() != null) {
            sql.append(" and start_ms <= ?");
            params.add(q.upto());
        }
        sql.append(" order by start_ms desc, activation_id limit ? offset ?");
        params.add(q.limit());
        params.add(q.skip());
        return jdbc.sql(sql.toString())
                .params(params)
                .query((rs, i) -> Json.tree(rs.getString(1)))
                .list();
    }
}
