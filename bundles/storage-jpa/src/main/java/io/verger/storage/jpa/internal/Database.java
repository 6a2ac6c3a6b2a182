package io.verger.storage.jpa.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.verger.api.storage.StorageException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceException;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.sql.DataSource;

/**
 * The one database of this bundle: a bounded connection pool, the migrated schema, the JPA
 * persistence unit, and the key that encrypts secrets. Every store of this bundle works through it;
 * it is registered under this private class only.
 */
@Component(service = Database.class, configurationPid = Database.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = Database.Config.class)
public final class Database {

    /** The configuration PID of the storage. */
    public static final String PID = "io.verger.storage";

    @ObjectClassDefinition(name = "Verger storage",
            description = "Where Verger keeps all its state. Empty values fall back to the framework properties "
                    + "verger.db.url, verger.db.user and verger.db.password, then to embedded Derby in <verger.data>/db.")
    public @interface Config {
        @AttributeDefinition(name = "JDBC URL", description = "jdbc:postgresql://host:5432/verger for PostgreSQL (several nodes), "
                + "jdbc:derby:/path/to/db for embedded Derby; empty for the default", required = false)
        String jdbcUrl() default "";

        @AttributeDefinition(name = "User", required = false)
        String user() default "";

        @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
        String password() default "";

        @AttributeDefinition(name = "Connection pool size", description = "The most database connections this node opens; "
                + "0: " + StorageSettings.DERBY_POOL + " for embedded Derby, " + StorageSettings.SERVER_POOL + " for a database server")
        int maxPoolSize() default 0;

        @AttributeDefinition(name = "Command retention (days)",
                description = "How long completed, cancelled and expired commands and their results are kept")
        int commandRetentionDays() default 30;

        @AttributeDefinition(name = "Purge interval (seconds)",
                description = "How often expired commands are marked and old history deleted; 0 disables it")
        long purgeIntervalSeconds() default 3600;

        @AttributeDefinition(name = "Encryption key", type = AttributeType.PASSWORD, required = false,
                description = "Base64 of a 32-byte AES key that encrypts bootstrap tokens, unlock tokens and push keys at rest. "
                        + "Give every node sharing a database the same key; empty: <verger.data>/keys/storage.key, created on first start")
        String encryptionKey() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final StorageSettings settings;
    private final Dialect dialect;
    private final HikariDataSource pool;
    /** One per pooled connection, taken before a connection is: see {@link #acquire}. */
    private final java.util.concurrent.Semaphore permits;
    private static final long CONNECTION_TIMEOUT_MILLIS = 10_000;
    private final EntityManagerFactory emf;
    private final SecretBox secrets;
    /** Embedded Derby: this process is the only writer, so "nothing pending" can be remembered (see PendingHints). */
    private final PendingHints pendingHints;

    @Activate
    public Database(BundleContext context, Config config) {
        this(StorageSettings.of(config, context::getProperty));
    }

    Database(StorageSettings settings) {
        this.settings = settings;
        this.dialect = Dialect.of(settings.jdbcUrl());
        this.pendingHints = dialect == Dialect.DERBY ? new PendingHints() : null;
        this.secrets = SecretBox.of(settings.encryptionKey(), settings.dataDir().resolve("keys").resolve("storage.key"));
        HikariDataSource ds = null;
        EntityManagerFactory factory = null;
        try {
            ds = pool(settings, dialect);
            int applied = new Migrations(dialect, ds).migrate();
            factory = entityManagerFactory(ds, dialect);
            factory.createEntityManager().close(); // fail now, not at the first request
        } catch (SQLException | RuntimeException e) {
            if (factory != null) {
                factory.close();
            }
            if (ds != null) {
                ds.close();
            }
            shutdownDerby();
            throw new StorageException("cannot open the storage at " + Dialect.redact(settings.jdbcUrl()) + ": " + e.getMessage(), e);
        }
        this.pool = ds;
        this.permits = new java.util.concurrent.Semaphore(settings.poolSize());
        this.emf = factory;
        LOG.info("storage open: {} ({})", Dialect.redact(settings.jdbcUrl()), dialect);
    }

    /** @return the pending-command hints, or null if other processes may write the database (PostgreSQL) */
    PendingHints pendingHints() {
        return pendingHints;
    }

    static Database open(StorageSettings settings) {
        return new Database(settings);
    }

    @Deactivate
    public void close() {
        try {
            emf.close();
        } finally {
            pool.close();
            shutdownDerby();
        }
    }

    private void shutdownDerby() {
        if (dialect != Dialect.DERBY) {
            return;
        }
        Derby.shutdown(derbyDatabaseName(settings.jdbcUrl()));
    }

    private static String derbyDatabaseName(String url) {
        String rest = url.substring("jdbc:derby:".length());
        int semicolon = rest.indexOf(';');
        return semicolon < 0 ? rest : rest.substring(0, semicolon);
    }

    private static HikariDataSource pool(StorageSettings s, Dialect dialect) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("verger-storage");
        hc.setMaximumPoolSize(s.poolSize());
        hc.setMinimumIdle(s.poolSize()); // a fixed-size pool (HikariCP's advice): bursts find their connections open
        hc.setAutoCommit(true);
        hc.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        hc.setInitializationFailTimeout(10_000);
        if (dialect == Dialect.DERBY) {
            Derby.configureSystem(s.dataDir());
            hc.setDataSource(Derby.dataSource(derbyDatabaseName(s.jdbcUrl()), s.user(), s.password()));
            hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        } else {
            hc.setDataSource(PostgreSql.dataSource(s.jdbcUrl(), s.user(), s.password()));
        }
        return new HikariDataSource(hc);
    }

    private static EntityManagerFactory entityManagerFactory(DataSource ds, Dialect dialect) {
        Map<String, Object> props = new HashMap<>();
        props.put("jakarta.persistence.nonJtaDataSource", ds);
        props.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        props.put("eclipselink.classloader", Database.class.getClassLoader());
        props.put("eclipselink.weaving", "false");
        props.put("eclipselink.target-database", dialect.eclipseLinkPlatform);
        props.put("eclipselink.ddl-generation", "none");
        // every node must see what another wrote: no shared object cache
        props.put("eclipselink.cache.shared.default", "false");
        props.put("eclipselink.logging.level", "WARNING");
        props.put("eclipselink.logging.logger", "JavaLogger");
        props.put("eclipselink.connection-pool.default.initial", "0");
        EntityManagerFactory emf = new PersistenceProvider().createEntityManagerFactory("verger-storage", props);
        if (emf == null) {
            throw new IllegalStateException("EclipseLink found no persistence unit verger-storage in META-INF/persistence.xml");
        }
        return emf;
    }

    StorageSettings settings() {
        return settings;
    }

    Dialect dialect() {
        return dialect;
    }

    SecretBox secrets() {
        return secrets;
    }

    DataSource dataSource() {
        return pool;
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Tries of work that failed transiently (deadlock, serialization failure, lock timeout). */
    static final int ATTEMPTS = 5;

    /**
     * Waits a little, more after each failed try, with jitter, before trying again: the transaction in the way gets to
     * finish. Derby's lock timeout can come at once: the first concurrent inserts into a table with an identity
     * column contend for the identity's preallocation ("too much contention", 40XL1, seen with 8 enrollments at once
     * on a fresh database), and immediate retries met the same contention.
     */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20) * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting to try again", e);
        }
    }

    /**
     * Takes one of the pool's connections' permits, waiting (parked) while all are in use. HikariCP's own hand-off
     * spins with Thread.yield while requests wait for a connection, which on a small machine took the CPU from the
     * requests holding them: with 16 device requests at once and an 8-connection pool, server CPU per exchange rose
     * by about a quarter. With the permits the pool never has a waiter.
     */
    private void acquire(String what) {
        try {
            if (!permits.tryAcquire(CONNECTION_TIMEOUT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new StorageException(what + " failed: no database connection came free within "
                        + CONNECTION_TIMEOUT_MILLIS + " ms (" + settings.poolSize() + " in the pool)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(what + " failed: interrupted while waiting for a database connection", e);
        }
    }

    /** Runs one statement (or several reads) in auto-commit mode. */
    <T> T query(String what, SqlWork<T> work) {
        Join join = joinedHere.get();
        if (join != null) {
            return join.run(what, work);
        }
        acquire(what);
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException(what + " failed: " + e.getMessage(), e);
        } finally {
            permits.release();
        }
    }

    /**
     * Runs one write statement in auto-commit mode, again after a deadlock or lock timeout (at most 5 tries): for work
     * whose failed attempt leaves nothing behind.
     */
    <T> T statement(String what, SqlWork<T> work) {
        Join join = joinedHere.get();
        if (join != null) {
            return join.run(what, work);
        }
        for (int attempt = 1; ; attempt++) {
            SQLException failure;
            acquire(what);
            try (Connection c = pool.getConnection()) {
                return work.run(c);
            } catch (SQLException e) {
                failure = e;
            } finally {
                permits.release();
            }
            if (Dialect.isTransient(failure) && attempt < ATTEMPTS) {
                backOff(attempt);
                continue;
            }
            throw new StorageException(what + " failed: " + failure.getMessage(), failure);
        }
    }

    /** Runs work in one transaction, again after a deadlock, serialization failure or lock timeout (at most 5 tries). */
    <T> T transaction(String what, SqlWork<T> work) {
        return transaction(what, e -> false, work);
    }

    /**
     * Runs work in one transaction, again (at most 5 tries, backing off) after a deadlock, serialization failure or lock
     * timeout, or after a
     * failure {@code alsoRetry} names (such as the duplicate key of a first insert that raced another).
     */
    <T> T transaction(String what, java.util.function.Predicate<SQLException> alsoRetry, SqlWork<T> work) {
        Join join = joinedHere.get();
        if (join != null) {
            return join.run(what, work);
        }
        for (int attempt = 1; ; attempt++) {
            SQLException failure;
            acquire(what);
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                failure = e;
            } finally {
                permits.release(); // not held while backing off
            }
            if ((Dialect.isTransient(failure) || alsoRetry.test(failure)) && attempt < ATTEMPTS) {
                backOff(attempt);
                continue;
            }
            throw new StorageException(what + " failed: " + failure.getMessage(), failure);
        }
    }

    /** The transaction this thread's JDBC work joins, while {@link #joined} runs its second part; else unset. */
    private final ThreadLocal<Join> joinedHere = new ThreadLocal<>();

    /** A transaction that {@link #query}, {@link #statement} and {@link #transaction} of its thread join. */
    private static final class Join {
        private final Connection connection;
        private boolean failed;
        private final List<Runnable> atEnd = new ArrayList<>();

        Join(Connection connection) {
            this.connection = connection;
        }

        <T> T run(String what, SqlWork<T> work) {
            if (failed) {
                throw new StorageException(what + " failed: an earlier write in the same transaction failed, which is rolled back");
            }
            try {
                return work.run(connection);
            } catch (SQLException e) {
                failed = true;
                throw new StorageException(what + " failed: " + e.getMessage(), e);
            } catch (RuntimeException | Error e) {
                failed = true;
                throw e;
            }
        }
    }

    /** @return whether this thread's JDBC work joins a transaction of {@link #joined} (nothing it writes is committed yet) */
    boolean inJoin() {
        return joinedHere.get() != null;
    }

    /**
     * Runs {@code action} once this thread's joined transaction has ended (committed, or rolled back), or at once when
     * the thread is not in one.
     */
    void whenJoinEnds(Runnable action) {
        Join join = joinedHere.get();
        if (join == null) {
            action.run();
        } else {
            join.atEnd.add(action);
        }
    }

    /** @return whether {@link #joined} runs its two parts in one transaction (embedded Derby) */
    boolean joins() {
        return dialect == Dialect.DERBY;
    }

    /**
     * Runs {@code first} in a transaction, then {@code then} with its result while this thread's JDBC work through this
     * database ({@link #query}, {@link #statement}, {@link #transaction}, of any store) joins the same transaction, and
     * commits both at once: one durable commit instead of one per write. Only on embedded Derby ({@link #joins}), where
     * this process is the only writer and concurrent inventory merges are serialised in the process, so joined work
     * meets no lock conflict that a retry would have to resolve; elsewhere {@code first} commits alone and {@code then}
     * runs after it, its work in transactions of its own.
     *
     * <p>Joined work is not retried; if any of it fails (or {@code then} throws), all of it is rolled back and
     * {@code first} alone is committed (again, in a new transaction, if the failure took the whole transaction with it),
     * so {@code first}'s effect is durable whenever this returns. {@code then}'s exception is rethrown after that.
     * JPA work ({@link #jpa}) does not join: it uses a connection of its own.
     */
    <T> T joined(String what, SqlWork<T> first, java.util.function.Consumer<T> then) {
        if (!joins() || inJoin()) {
            T result = transaction(what, first); // inside a join, this joins it too
            then.accept(result);
            return result;
        }
        List<Runnable> atEnd = new ArrayList<>();
        boolean[] ran = new boolean[1]; // then runs once at most, whatever transaction() retries
        Throwable[] thrown = new Throwable[1];
        try {
            T stored = transaction(what, c -> {
                T result = first.run(c);
                if (ran[0]) {
                    return result; // a retry after the commit failed: the first part alone
                }
                ran[0] = true;
                Join join = new Join(c);
                joinedHere.set(join);
                try {
                    then.accept(result);
                } catch (RuntimeException | Error e) {
                    thrown[0] = e;
                } finally {
                    joinedHere.remove();
                    atEnd.addAll(join.atEnd);
                }
                if (join.failed || thrown[0] != null) {
                    // all of it is rolled back, and the first part is stored alone
                    c.rollback();
                    LOG.debug("{}: the work joined to it failed and is rolled back; storing it alone", what);
                    result = first.run(c);
                }
                return result;
            });
            if (thrown[0] instanceof RuntimeException e) {
                throw e;
            } else if (thrown[0] instanceof Error e) {
                throw e;
            }
            return stored;
        } finally {
            for (Runnable action : atEnd) {
                action.run();
            }
        }
    }

    /** Runs JPA work in one resource-local transaction. */
    <T> T jpa(String what, Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } catch (PersistenceException e) {
            throw new StorageException(what + " failed: " + e.getMessage(), e);
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    /**
     * Derby's classes are only touched through here, so that a PostgreSQL installation runs without
     * the Derby bundle (its import is optional).
     */
    static final class Derby {
        private Derby() {
        }

        static DataSource dataSource(String databaseName, String user, String password) {
            org.apache.derby.jdbc.EmbeddedDataSource ds = new org.apache.derby.jdbc.EmbeddedDataSource();
            ds.setDatabaseName(databaseName);
            ds.setCreateDatabase("create");
            if (!user.isEmpty()) {
                ds.setUser(user);
                ds.setPassword(password);
            }
            return ds;
        }

        static void shutdown(String databaseName) {
            org.apache.derby.jdbc.EmbeddedDataSource ds = new org.apache.derby.jdbc.EmbeddedDataSource();
            ds.setDatabaseName(databaseName);
            ds.setShutdownDatabase("shutdown");
            try (Connection ignored = ds.getConnection()) {
                // shutdown always answers with an exception
            } catch (SQLException expected) {
                if (!"08006".equals(expected.getSQLState()) && !"XJ004".equals(expected.getSQLState())) {
                    LOG.warn("Derby shutdown of {}: {}", databaseName, expected.getMessage());
                }
            }
        }

        /** The JVM-wide Derby settings, set once before the first embedded database boots. */
        static synchronized void configureSystem(Path dataDir) {
            try {
                Files.createDirectories(dataDir);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create the data directory " + dataDir, e);
            }
            setIfAbsent("derby.stream.error.file", dataDir.resolve("derby.log").toString());
            // Derby's default of 1,000 pages, set here so that it is deliberate: tables with LOB columns (enrollment,
            // queue, inventory) use 32 kB pages, so this is up to ~32 MB of heap, not 4 MB. At 10,000 devices 2,000
            // pages held ~20 MB more live heap than 1,000 with no measurable gain (an idle check-in on embedded Derby
            // reads no page), and 4,000 pages held ~130 MB
            setIfAbsent("derby.storage.pageCacheSize", "1000");
            setIfAbsent("derby.language.statementCacheSize", "300");
            // An acknowledged DeviceInformation writes ~8 kB of log (the result, the merged inventory, index entries).
            // With Derby's defaults (a new log file every 1 MB, a checkpoint every 10 MB) a drain of 1,000 devices
            // switched log files 8 times and checkpointed about once, each with its own fsyncs, under the commits.
            // 16 MB files and a checkpoint every 64 MB of log: crash recovery replays at most that much (seconds).
            setIfAbsent("derby.storage.logSwitchInterval", String.valueOf(16 << 20));
            setIfAbsent("derby.storage.checkpointInterval", String.valueOf(64 << 20));
        }

        private static void setIfAbsent(String key, String value) {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        }
    }

    /** The PostgreSQL driver's classes are only touched through here (its import is optional). */
    static final class PostgreSql {
        private PostgreSql() {
        }

        static DataSource dataSource(String url, String user, String password) {
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL(url);
            if (!user.isEmpty()) {
                ds.setUser(user);
            }
            if (!password.isEmpty()) {
                ds.setPassword(password);
            }
            ds.setReWriteBatchedInserts(true);
            ds.setApplicationName("verger");
            return ds;
        }
    }
}
