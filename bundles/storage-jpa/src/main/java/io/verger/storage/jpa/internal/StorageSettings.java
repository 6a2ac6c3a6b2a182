package io.verger.storage.jpa.internal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * The resolved storage configuration: ConfigAdmin values first, then the framework properties
 * {@code verger.db.url}, {@code verger.db.user}, {@code verger.db.password}, then embedded Derby at
 * {@code <verger.data>/db}.
 *
 * @param jdbcUrl              {@code jdbc:derby:<path>} or {@code jdbc:postgresql://...}
 * @param user                 database user, or empty
 * @param password             database password, or empty
 * @param maxPoolSize          the most connections the pool opens; 0 for the default, see {@link #poolSize()}
 * @param dataDir              the data directory: Derby's log, the key file
 * @param encryptionKey        base64 AES-256 key for secrets, or empty to use {@code <data>/keys/storage.key}
 * @param commandRetentionDays how long finished commands are kept
 * @param purgeIntervalSeconds how often the purge job runs; 0 disables it
 */
record StorageSettings(String jdbcUrl, String user, String password, int maxPoolSize, Path dataDir,
        String encryptionKey, int commandRetentionDays, long purgeIntervalSeconds) {

    /**
     * Connections of embedded Derby when none are configured. A device request takes a connection up to three times;
     * a pool smaller than the number of requests in flight makes them queue for connections, and HikariCP's hand-off
     * spins (Thread.yield) while they wait. With 8 connections and 16 devices at once a drain of 1,000 devices took
     * ~0.85 s at ~460 µs of server CPU per exchange; with 16, ~0.63 s at ~360 µs. An embedded connection costs
     * memory only, so Derby gets room for 32 requests at once.
     */
    static final int DERBY_POOL = 32;
    /** Connections to a database server (PostgreSQL) when none are configured: each is a server process. */
    static final int SERVER_POOL = 16;

    StorageSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(dataDir, "dataDir");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        encryptionKey = encryptionKey == null ? "" : encryptionKey;
        if (maxPoolSize < 0) {
            throw new IllegalArgumentException("storage maxPoolSize must be at least 1 (or 0 for the default), got " + maxPoolSize);
        }
        if (commandRetentionDays < 1) {
            throw new IllegalArgumentException("storage commandRetentionDays must be at least 1, got " + commandRetentionDays);
        }
    }

    /** Embedded Derby in {@code dataDir/db}: the defaults of a fresh installation. */
    static StorageSettings derby(Path dataDir) {
        return new StorageSettings("jdbc:derby:" + dataDir.resolve("db").toAbsolutePath(), "", "", 0, dataDir, "", 30, 3600);
    }

    static StorageSettings of(Database.Config config, Function<String, String> frameworkProperty) {
        String data = frameworkProperty.apply("verger.data");
        Path dataDir = Path.of(data == null || data.isBlank() ? "data" : data).toAbsolutePath();
        String url = first(config.jdbcUrl(), frameworkProperty.apply("verger.db.url"),
                "jdbc:derby:" + dataDir.resolve("db"));
        String user = first(config.user(), frameworkProperty.apply("verger.db.user"), "");
        String password = first(config.password(), frameworkProperty.apply("verger.db.password"), "");
        return new StorageSettings(url, user, password, config.maxPoolSize(), dataDir, config.encryptionKey(),
                config.commandRetentionDays(), config.purgeIntervalSeconds());
    }

    /** @return {@link #maxPoolSize()}, or when it is 0 the default of the database: {@link #DERBY_POOL} or {@link #SERVER_POOL} */
    int poolSize() {
        return maxPoolSize != 0 ? maxPoolSize : jdbcUrl.startsWith("jdbc:derby:") ? DERBY_POOL : SERVER_POOL;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return "";
    }

    StorageSettings withUrl(String url) {
        return new StorageSettings(url, user, password, maxPoolSize, dataDir, encryptionKey, commandRetentionDays, purgeIntervalSeconds);
    }

    StorageSettings withUser(String user, String password) {
        return new StorageSettings(jdbcUrl, user, password, maxPoolSize, dataDir, encryptionKey, commandRetentionDays, purgeIntervalSeconds);
    }

    StorageSettings withEncryptionKey(String key) {
        return new StorageSettings(jdbcUrl, user, password, maxPoolSize, dataDir, key, commandRetentionDays, purgeIntervalSeconds);
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "StorageSettings[" + Dialect.redact(jdbcUrl) + ", user=" + user + ", maxPoolSize=" + poolSize()
                + ", dataDir=" + dataDir + ", commandRetentionDays=" + commandRetentionDays + "]";
    }
}
