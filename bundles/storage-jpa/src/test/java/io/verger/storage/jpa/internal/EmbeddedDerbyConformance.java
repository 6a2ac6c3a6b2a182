package io.verger.storage.jpa.internal;

import io.verger.storage.tck.StorageFixture;
import io.verger.storage.tck.StoreConformance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Tests of this bundle's embedded-Derby-only behaviour: one database per test class, emptied before each test. */
abstract class EmbeddedDerbyConformance extends StoreConformance {

    @TempDir
    static Path dataDir;
    static JpaStorageFixture derby;

    @BeforeAll
    static void open() {
        derby = new JpaStorageFixture(Database.open(StorageSettings.derby(dataDir)));
    }

    @AfterAll
    static void close() {
        derby.db.close();
    }

    @Override
    protected StorageFixture fixture() {
        return derby.clean();
    }
}
