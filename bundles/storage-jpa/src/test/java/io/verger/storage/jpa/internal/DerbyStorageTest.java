package io.verger.storage.jpa.internal;

import io.verger.storage.tck.BootstrapTokenStoreConformance;
import io.verger.storage.tck.CertAuthStoreConformance;
import io.verger.storage.tck.CommandQueueConformance;
import io.verger.storage.tck.EnrollmentSecretStoreConformance;
import io.verger.storage.tck.EnrollmentStoreConformance;
import io.verger.storage.tck.InventoryStoreConformance;
import io.verger.storage.tck.PolicyStoreConformance;
import io.verger.storage.tck.PolicyTargetStoreConformance;
import io.verger.storage.tck.PushCertStoreConformance;
import io.verger.storage.tck.StorageFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The storage conformance suite on embedded Derby: one database in a temporary directory, emptied before each test. */
class DerbyStorageTest {

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

    static StorageFixture clean() {
        return stores.clean();
    }

    @Nested
    class Enrollments extends EnrollmentStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return clean();
        }
    }

    @Nested
    class Queue extends CommandQueueConformance {
        @Override
        protected StorageFixture fixture() {
            return clean();
        }
    }

    @Nested
    class CertAuth extends CertAuthStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return clean();
        }
    }

    @Nested
    class BootstrapTokens extends BootstrapTokenStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return clean();
        }
    }

    @Nested
    class PushCerts extends PushCertStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return clean();
        }
    }

    @Nested
    class Inventory extends InventoryStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return clean();
        }
    }

    @Nested
    class Policies extends PolicyStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return clean();
        }
    }

    @Nested
    class EnrollmentSecrets extends EnrollmentSecretStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return clean();
        }
    }

    @Nested
    class PolicyTargets extends PolicyTargetStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return clean();
        }
    }
}
