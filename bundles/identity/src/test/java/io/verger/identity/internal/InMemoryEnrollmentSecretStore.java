package io.verger.identity.internal;

import io.verger.api.storage.EnrollmentSecretStore;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** The {@link EnrollmentSecretStore} contract in memory (the storage bundle's TCK checks the real one). */
class InMemoryEnrollmentSecretStore implements EnrollmentSecretStore {

    private record Entry(Instant expiresAt, boolean used) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    @Override
    public synchronized boolean create(Kind kind, String secret, Instant expiresAt) {
        Objects.requireNonNull(kind);
        if (secret.isBlank()) {
            throw new IllegalArgumentException("blank");
        }
        return entries.putIfAbsent(kind + "/" + secret, new Entry(expiresAt, false)) == null;
    }

    @Override
    public synchronized boolean consume(Kind kind, String secret, Instant now) {
        String key = kind + "/" + secret;
        Entry entry = entries.get(key);
        if (entry == null || entry.used() || !entry.expiresAt().isAfter(now)) {
            return false;
        }
        entries.put(key, new Entry(entry.expiresAt(), true));
        return true;
    }

    @Override
    public synchronized int purgeExpired(Instant now) {
        int before = entries.size();
        entries.values().removeIf(e -> !e.expiresAt().isAfter(now));
        return before - entries.size();
    }

    synchronized int size() {
        return entries.size();
    }
}
