package io.verger.storage.jpa.internal;

import io.verger.api.storage.BootstrapTokenStore;
import io.verger.api.storage.CertAuthStore;
import io.verger.api.storage.CommandQueue;
import io.verger.api.storage.EnrollmentSecretStore;
import io.verger.api.storage.EnrollmentStore;
import io.verger.api.storage.InventoryStore;
import io.verger.api.storage.PolicyStore;
import io.verger.api.storage.PolicyTargetStore;
import io.verger.api.storage.PushCertStore;
import io.verger.storage.tck.StorageFixture;

import java.sql.Statement;

/** This bundle's stores over one open {@link Database}, as the conformance suite takes them. */
final class JpaStorageFixture implements StorageFixture {

    private static final String[] TABLES = {"command_queue", "command", "enrollment", "cert_binding", "bootstrap_token",
            "push_certificate", "inventory", "policy_assignment", "policy_install", "policy_target_group", "policy_target", "policy_revision",
            "policy", "device_group_member", "device_group", "enrollment_secret"};

    final Database db;
    private final JdbcEnrollmentStore enrollments;
    private final JdbcCommandQueue queue;
    private final JdbcCertAuthStore certAuth;
    private final JpaBootstrapTokenStore bootstrapTokens;
    private final JpaPushCertStore pushCerts;
    private final JpaInventoryStore inventory;
    private final JpaPolicyStore policies;
    private final JdbcEnrollmentSecretStore enrollmentSecrets;
    private final JdbcPolicyTargetStore policyTargets;

    JpaStorageFixture(Database db) {
        this.db = db;
        enrollments = new JdbcEnrollmentStore(db);
        queue = new JdbcCommandQueue(db);
        certAuth = new JdbcCertAuthStore(db);
        bootstrapTokens = new JpaBootstrapTokenStore(db);
        pushCerts = new JpaPushCertStore(db);
        inventory = new JpaInventoryStore(db);
        policies = new JpaPolicyStore(db);
        enrollmentSecrets = new JdbcEnrollmentSecretStore(db);
        policyTargets = new JdbcPolicyTargetStore(db);
    }

    /** Deletes every row, keeping the schema. */
    JpaStorageFixture clean() {
        db.transaction("emptying the test database", c -> {
            try (Statement st = c.createStatement()) {
                for (String table : TABLES) {
                    st.executeUpdate("DELETE FROM " + table);
                }
            }
            return null;
        });
        return this;
    }

    @Override
    public EnrollmentStore enrollments() {
        return enrollments;
    }

    @Override
    public CommandQueue queue() {
        return queue;
    }

    @Override
    public CertAuthStore certAuth() {
        return certAuth;
    }

    @Override
    public BootstrapTokenStore bootstrapTokens() {
        return bootstrapTokens;
    }

    @Override
    public PushCertStore pushCerts() {
        return pushCerts;
    }

    @Override
    public InventoryStore inventory() {
        return inventory;
    }

    @Override
    public PolicyStore policies() {
        return policies;
    }

    @Override
    public EnrollmentSecretStore enrollmentSecrets() {
        return enrollmentSecrets;
    }

    @Override
    public PolicyTargetStore policyTargets() {
        return policyTargets;
    }
}
