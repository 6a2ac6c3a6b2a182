package io.verger.storage.jpa.internal;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The storage conformance suite on embedded Derby: one database in a temporary directory, emptied before each test. */
class DerbyStorageTest extends JpaStorageSuite {

    @TempDir
    static Path dataDir;

    private static JpaStorageFixture stores;

    @BeforeAll
    static void open() {
        stores = new JpaStorageFixture(Database.open(StorageSettings.derby(dataDir)));
    }

    @AfterAll
    static void close() {
        stores.db.close();
    }

    @Override
    JpaStorageFixture stores() {
        return stores;
    }
}
