package io.verger.storage.jpa.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import javax.sql.DataSource;

/**
 * Brings the schema to the version this bundle needs. The scripts are
 * {@code db/<dialect>/V<n>__<what>.sql}, listed in order in {@code db/<dialect>/migrations.txt};
 * statements are separated by lines holding only {@code ;}-terminated SQL. Each script runs in one
 * transaction together with its {@code schema_version} row. Several nodes starting at once take
 * turns: PostgreSQL through a transaction-scoped advisory lock, Derby (one JVM) through an exclusive
 * table lock on {@code schema_version}. A runner that waited finds the work done and does nothing.
 */
final class Migrations {

    /** The advisory lock key of Verger's schema migrations ("VERGER" in ASCII). */
    static final long LOCK_KEY = 0x5645524745520001L;

    private final Dialect dialect;
    private final DataSource dataSource;
    /** test hook: runs once the lock is held */
    private final Runnable whileLocked;

    Migrations(Dialect dialect, DataSource dataSource) {
        this(dialect, dataSource, () -> { });
    }

    Migrations(Dialect dialect, DataSource dataSource, Runnable whileLocked) {
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.whileLocked = whileLocked;
    }

    record Script(int version, String name, List<String> statements) {
    }

    /** @return how many scripts were applied by this call */
    int migrate() throws SQLException {
        List<Script> scripts = scripts();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                createVersionTable(c);
                lock(c);
                whileLocked.run();
                int current = currentVersion(c);
                int applied = 0;
                for (Script s : scripts) {
                    if (s.version() <= current) {
                        continue;
                    }
                    try (Statement st = c.createStatement()) {
                        for (String sql : s.statements()) {
                            try {
                                st.execute(sql);
                            } catch (SQLException e) {
                                throw new SQLException("migration " + dialect.scripts + "/" + s.name() + " failed at: " + sql
                                        + ": " + e.getMessage(), e.getSQLState(), e);
                            }
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO schema_version (version, script, applied_at) VALUES (?, ?, ?)")) {
                        ps.setInt(1, s.version());
                        ps.setString(2, s.name());
                        ps.setLong(3, System.currentTimeMillis());
                        ps.executeUpdate();
                    }
                    applied++;
                }
                c.commit();
                return applied;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    int currentVersion() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return currentVersion(c);
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void createVersionTable(Connection c) throws SQLException {
        String ddl = "CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY, script VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)";
        if (dialect == Dialect.POSTGRESQL) {
            // the advisory lock first, so that two nodes do not race on the catalog
            lock(c);
            try (Statement st = c.createStatement()) {
                st.execute(ddl.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"));
            }
            c.commit();
            return;
        }
        try (ResultSet rs = c.getMetaData().getTables(null, null, "SCHEMA_VERSION", null)) {
            if (rs.next()) {
                return;
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute(ddl);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            if (!"X0Y32".equals(e.getSQLState())) { // created meanwhile by another runner
                throw e;
            }
        }
    }

    private void lock(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            } else {
                st.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE");
            }
        }
    }

    List<Script> scripts() {
        String base = "db/" + dialect.scripts + "/";
        List<Script> scripts = new ArrayList<>();
        for (String name : lines(base + "migrations.txt")) {
            if (name.isBlank() || name.startsWith("#")) {
                continue;
            }
            int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
            if (!scripts.isEmpty() && version <= scripts.get(scripts.size() - 1).version()) {
                throw new IllegalStateException("migration " + name + " is out of order in " + base + "migrations.txt");
            }
            scripts.add(new Script(version, name, statements(String.join("\n", lines(base + name)))));
        }
        return scripts;
    }

    private static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static List<String> lines(String resource) {
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration resource " + resource + " is missing from the storage bundle");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
