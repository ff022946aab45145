package dev.hearth.controller.action;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.KeyValue;
import dev.hearth.common.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;

/** The {@code actions} table (artifacts are the artifact package's {@code ArtifactStore}). */
@Repository
class ActionStore {
    private static final TypeReference<List<KeyValue>> KEY_VALUES = new TypeReference<>() {};
    private static final String COLUMNS = "a.namespace, a.name, a.version, a.kind, a.main, a.artifact_digest, "
            + "a.\"binary\", a.parameters::text, a.annotations::text, a.limits::text, a.publish, a.updated_at, "
            + "f.size_bytes";
    private static final String FROM = " from actions a join artifacts f on f.digest = a.artifact_digest ";

    private final JdbcClient jdbc;

    ActionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ActionRecord> find(String namespace, String name) {
        return jdbc.sql("select " + COLUMNS + FROM + "where a.namespace = ? and a.name = ?")
                .params(namespace, name)
                .query(ActionStore::row)
                .optional();
    }

    List<ActionRecord> list(String namespace, int limit, int skip) {
        return jdbc.sql("select " + COLUMNS + FROM + "where a.namespace = ? "
                        + "order by a.updated_at desc, a.name limit ? offset ?")
                .params(namespace, limit, skip)
                .query(ActionStore::row)
                .list();
    }

    /** Inserts a new action; false when one by that name exists. */
    boolean insert(ActionRecord a) {
        return jdbc.sql("insert into actions (namespace, name, version, kind, main, artifact_digest, \"binary\", "
                                + "parameters, annotations, limits, publish, updated_at) "
                                + "values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?) "
                                + "on conflict (namespace, name) do nothing")
                        .params(
                                a.namespace(),
                                a.name(),
                                a.version(),
                                a.kind(),
                                a.main(),
                                a.digest(),
                                a.binary(),
                                Json.toString(a.parameters()),
                                Json.toString(a.annotations()),
                                Json.toString(a.limits()),
                                a.publish(),
                                Timestamp.from(Instant.ofEpochMilli(a.updated())))
                        .update()
                > 0;
    }

    /** Replaces the action if it still has {@code expectedVersion}; false when it changed meanwhile. */
    boolean update(ActionRecord a, String expectedVersion) {
        return jdbc.sql("update actions set version = ?, kind = ?, main = ?, artifact_digest = ?, \"binary\" = ?, "
                                + "parameters = ?::jsonb, annotations = ?::jsonb, limits = ?::jsonb, publish = ?, "
                                + "updated_at = ? where namespace = ? and name = ? and version = ?")
                        .params(
                                a.version(),
                                a.kind(),
                                a.main(),
                                a.digest(),
                                a.binary(),
                                Json.toString(a.parameters()),
                                Json.toString(a.annotations()),
                                Json.toString(a.limits()),
                                a.publish(),
                                Timestamp.from(Instant.ofEpochMilli(a.updated())),
                                a.namespace(),
                                a.name(),
                                expectedVersion)
                        .update()
                > 0;
    }

    boolean delete(String namespace, String name) {
        return jdbc.sql("delete from actions where namespace = ? and name = ?")
                        .params(namespace, name)
                        .update()
                > 0;
    }

    private static ActionRecord row(ResultSet rs, int i) throws SQLException {
        return new ActionRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6).trim(),
                rs.getLong(13),
                rs.getBoolean(7),
                Json.mapper().readValue(rs.getString(8), KEY_VALUES),
                Json.mapper().readValue(rs.getString(9), KEY_VALUES),
                Json.read(rs.getString(10), ActionLimits.class),
                rs.getBoolean(11),
                rs.getTimestamp(12).toInstant().toEpochMilli());
    }
}
