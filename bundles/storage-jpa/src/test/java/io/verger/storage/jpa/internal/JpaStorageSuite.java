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
import org.junit.jupiter.api.Nested;

/**
 * The storage conformance suite over one database: every store's conformance tests, each on the database emptied
 * first. Subclasses open the database (Derby, PostgreSQL) for the class and close it after.
 */
abstract class JpaStorageSuite {

    /** @return the stores over the subclass's open database */
    abstract JpaStorageFixture stores();

    @Nested
    class Enrollments extends EnrollmentStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return stores().clean();
        }
    }

    @Nested
    class Queue extends CommandQueueConformance {
        @Override
        protected StorageFixture fixture() {
            return stores().clean();
        }
    }

    @Nested
    class CertAuth extends CertAuthStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return stores().clean();
        }
    }

    @Nested
    class BootstrapTokens extends BootstrapTokenStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return stores().clean();
        }
    }

    @Nested
    class PushCerts extends PushCertStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return stores().clean();
        }
    }

    @Nested
    class Inventory extends InventoryStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return stores().clean();
        }
    }

    @Nested
    class Policies extends PolicyStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return stores().clean();
        }
    }

    @Nested
    class EnrollmentSecrets extends EnrollmentSecretStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return stores().clean();
        }
    }

    @Nested
    class PolicyTargets extends PolicyTargetStoreConformance {
        @Override
        protected StorageFixture fixture() {
            return stores().clean();
        }
    }
}
