package io.verger.storage.tck;

import io.verger.api.storage.BootstrapTokenStore;
import io.verger.api.storage.CertAuthStore;
import io.verger.api.storage.CommandQueue;
import io.verger.api.storage.EnrollmentSecretStore;
import io.verger.api.storage.EnrollmentStore;
import io.verger.api.storage.InventoryStore;
import io.verger.api.storage.PolicyStore;
import io.verger.api.storage.PolicyTargetStore;
import io.verger.api.storage.PushCertStore;

/**
 * All stores of one storage provider over one backing database. A provider's test gives the
 * conformance classes a fixture whose database holds no data (fresh, or emptied) each time
 * {@link StoreConformance#fixture()} is called before a test.
 */
public interface StorageFixture {

    EnrollmentStore enrollments();

    CommandQueue queue();

    CertAuthStore certAuth();

    BootstrapTokenStore bootstrapTokens();

    PushCertStore pushCerts();

    InventoryStore inventory();

    PolicyStore policies();

    /** @return the device groups, policy targets and history over the same database as {@link #policies()} */
    PolicyTargetStore policyTargets();

    EnrollmentSecretStore enrollmentSecrets();
}
