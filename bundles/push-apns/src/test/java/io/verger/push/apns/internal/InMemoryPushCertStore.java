package io.verger.push.apns.internal;

import io.verger.api.identity.CertificateFingerprint;
import io.verger.api.storage.PushCertStore;
import io.verger.api.storage.PushCertificate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The push certificate store of the tests: what a database-backed one does, in a map. */
final class InMemoryPushCertStore implements PushCertStore {

    private final Map<String, PushCertificate> certificates = new ConcurrentSkipListMap<>();
    final AtomicInteger finds = new AtomicInteger();

    @Override
    public void store(PushCertificate certificate) {
        certificates.put(certificate.topic(), certificate);
    }

    @Override
    public Optional<PushCertificate> find(String topic) {
        finds.incrementAndGet();
        return Optional.ofNullable(certificates.get(topic));
    }

    @Override
    public boolean isCurrent(String topic, CertificateFingerprint version) {
        PushCertificate c = certificates.get(topic);
        return c != null && c.version().equals(version);
    }

    @Override
    public List<PushCertificate> list() {
        return new ArrayList<>(certificates.values());
    }

    @Override
    public boolean delete(String topic) {
        return certificates.remove(topic) != null;
    }
}
