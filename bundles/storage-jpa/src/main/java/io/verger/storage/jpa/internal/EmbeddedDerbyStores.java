package io.verger.storage.jpa.internal;

import io.verger.api.storage.CommandQueue;
import io.verger.api.storage.EnrollmentStore;

import java.nio.file.Path;

/**
 * This bundle's queue and enrollment store over an embedded Derby database in a directory, for tools on a plain
 * class path: the simulator's JMH benchmark of the next-command lookup. The server builds its stores with
 * Declarative Services instead; this package is not exported, so no bundle can reach this class.
 */
public final class EmbeddedDerbyStores implements AutoCloseable {

    private final Database db;
    private final JdbcEnrollmentStore enrollments;
    private final JdbcCommandQueue queue;

    private EmbeddedDerbyStores(Database db) {
        this.db = db;
        this.enrollments = new JdbcEnrollmentStore(db);
        this.queue = new JdbcCommandQueue(db);
    }

    /**
     * @param dataDir the data directory; the database is {@code dataDir/db}, created and migrated if new, with the
     *                settings of a fresh installation
     * @return the stores, open until {@link #close}
     */
    public static EmbeddedDerbyStores open(Path dataDir) {
        return new EmbeddedDerbyStores(Database.open(StorageSettings.derby(dataDir)));
    }

    public EnrollmentStore enrollments() {
        return enrollments;
    }

    public CommandQueue queue() {
        return queue;
    }

    @Override
    public void close() {
        db.close();
    }
}
