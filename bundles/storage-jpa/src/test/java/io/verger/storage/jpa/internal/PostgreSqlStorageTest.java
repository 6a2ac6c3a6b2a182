package io.verger.storage.jpa.internal;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The storage conformance suite on PostgreSQL: a fresh database per class, emptied before each test, dropped after. */
class PostgreSqlStorageTest extends JpaStorageSuite {

    @TempDir
    static Path dataDir;

    private static JpaStorageFixture stores;
    private static PostgreSqlTestDatabase database;

    @BeforeAll
    static void open() {
        database = PostgreSqlTestDatabase.create();
        stores = new JpaStorageFixture(Database.open(StorageSettings.derby(dataDir).withUrl(database.url()).withUser(PostgreSqlTestDatabase.USER, "")));
    }

    @AfterAll
    static void close() {
        if (stores != null) {
            stores.db.close();
        }
        if (database != null) {
            database.drop();
        }
    }

    @Override
    JpaStorageFixture stores() {
        return stores;
    }
}
