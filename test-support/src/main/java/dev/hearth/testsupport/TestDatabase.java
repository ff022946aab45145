package dev.hearth.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A real PostgreSQL (embedded binaries, started once per test JVM) and a fresh, migrated database
 * per call, so test classes never see each other's rows. The schema comes from db/migrations via
 * the common module's classpath, exactly as the services apply it.
 */
public final class TestDatabase {
    /** A database made for one test class. */
    public record Database(String jdbcUrl, String user, String password) {}

    private TestDatabase() {}

    public static Database fresh() {
        EmbeddedPostgres pg = Server.INSTANCE;
        String name = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
        }
        Database db = new Database(pg.getJdbcUrl("postgres", name), "postgres", "postgres");
        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return db;
    }

    /** Holder idiom: the server starts on first use and stops when the JVM exits. */
    private static final class Server {
        static final EmbeddedPostgres INSTANCE = start();

        private static EmbeddedPostgres start() {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting
                    }
                }));
                return pg;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
    }
}
