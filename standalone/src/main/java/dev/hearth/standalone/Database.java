package dev.hearth.standalone;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server from the embedded binaries, its cluster kept in {@code <dataDir>/postgres}
 * so a restart finds every action and activation. Hearth's tables live in database {@code hearth};
 * the controller applies the schema with Flyway.
 */
final class Database implements AutoCloseable {
    static final String NAME = "hearth";
    private final EmbeddedPostgres server;

    private Database(EmbeddedPostgres server) {
        this.server = server;
    }

    static Database start(Path dataDir, int port) {
        try {
            Path dir = dataDir.resolve("postgres");
            Files.createDirectories(dir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .start();
            Database db = new Database(pg);
            db.ensureDatabase();
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in " + dataDir.resolve("postgres"), e);
        }
    }

    private void ensureDatabase() {
        try (Connection c = server.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("select 1 from pg_database where datname = '" + NAME + "'")) {
                if (!r.next()) {
                    s.execute("create database " + NAME);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + NAME + ": " + e.getMessage(), e);
        }
    }

    String jdbcUrl() {
        return server.getJdbcUrl("postgres", NAME);
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }
}
