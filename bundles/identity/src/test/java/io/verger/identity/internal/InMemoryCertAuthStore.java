package io.verger.identity.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.identity.CertificateFingerprint;
import io.verger.api.storage.CertAuthStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A CertAuthStore as its Javadoc describes it: device channels only, several bindings each, idempotent bind. */
class InMemoryCertAuthStore implements CertAuthStore {

    private record Binding(EnrollmentId deviceChannel, CertificateFingerprint fingerprint) {
    }

    /** In binding order, so the most recent binding of a certificate is the last. */
    private final List<Binding> bindings = new ArrayList<>();

    @Override
    public synchronized boolean isBound(CertificateFingerprint fingerprint) {
        return bindings.stream().anyMatch(b -> b.fingerprint().equals(fingerprint));
    }

    @Override
    public synchronized boolean hasBinding(EnrollmentId deviceChannel) {
        requireDevice(deviceChannel);
        return bindings.stream().anyMatch(b -> b.deviceChannel().equals(deviceChannel));
    }

    @Override
    public synchronized boolean isBound(EnrollmentId deviceChannel, CertificateFingerprint fingerprint) {
        requireDevice(deviceChannel);
        return bindings.contains(new Binding(deviceChannel, fingerprint));
    }

    @Override
    public synchronized void bind(EnrollmentId deviceChannel, CertificateFingerprint fingerprint) {
        requireDevice(deviceChannel);
        Binding binding = new Binding(deviceChannel, fingerprint);
        if (!bindings.contains(binding)) {
            bindings.add(binding);
        }
    }

    @Override
    public synchronized Optional<EnrollmentId> enrollmentOf(CertificateFingerprint fingerprint) {
        for (int i = bindings.size() - 1; i >= 0; i--) {
            if (bindings.get(i).fingerprint().equals(fingerprint)) {
                return Optional.of(bindings.get(i).deviceChannel());
            }
        }
        return Optional.empty();
    }

    synchronized int size() {
        return bindings.size();
    }

    private static void requireDevice(EnrollmentId id) {
        if (id.isUserChannel()) {
            throw new IllegalArgumentException("cert-auth bindings are kept per device channel, not for user channel " + id);
        }
    }
}
