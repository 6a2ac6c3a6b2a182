package io.verger.storage.jpa.internal;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh database {@code verger_tck_<random>} on the PostgreSQL at 127.0.0.1:5432 (user
 * {@code postgres}, trust authentication), dropped by {@link #drop}. When that server is
 * unreachable the tests are skipped locally, and fail on CI ({@code CI=true}).
 */
final class PostgreSqlTestDatabase {

    static final String SERVER = System.getProperty("verger.test.pg", "jdbc:postgresql://127.0.0.1:5432/");
    static final String USER = System.getProperty("verger.test.pg.user", "postgres");

    final String name = "verger_tck_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);

    static PostgreSqlTestDatabase create() {
        PostgreSqlTestDatabase db = new PostgreSqlTestDatabase();
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db.name);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + SERVER + " (user " + USER + ") is unreachable: " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + " — CI must run the PostgreSQL storage tests");
            }
            Assumptions.abort(why + " — skipping the PostgreSQL storage tests (they fail instead when CI=true)");
        }
        return db;
    }

    String url() {
        return SERVER + name;
    }

    void drop() {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
        }
    }
}
