package io.verger.push.apns.internal;

import io.verger.api.storage.PushCertStore;
import io.verger.api.storage.PushCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything about one topic: its current client, when the certificate store was last asked whether the
 * certificate changed, and the topic's circuit breaker.
 */
final class TopicChannel {

    private static final Logger LOG = LoggerFactory.getLogger(TopicChannel.class);

    /** What {@link #lease} gives a sender: a client it must {@link ClientHandle#release} once answered. */
    record Lease(ClientHandle handle) {
    }

    final String topic;
    final CircuitBreaker breaker;
    private final ApnsSettings settings;
    private final Supplier<PushCertStore> store;
    private final ApnsClientFactory clients;

    private ClientHandle current;
    private long nextCheckNanos;
    private boolean recheck;
    /** Why there is no client, remembered until the next check so that a flood of pushes does not flood the store. */
    private String unavailable;
    private boolean closed;

    TopicChannel(String topic, ApnsSettings settings, Supplier<PushCertStore> store, ApnsClientFactory clients) {
        this.topic = topic;
        this.settings = settings;
        this.store = store;
        this.clients = clients;
        this.breaker = new CircuitBreaker(settings.circuitThreshold(), settings.circuitWindow().toNanos(),
                settings.circuitOpen().toNanos());
    }

    /** @throws PushUnavailableException with the reason when the topic cannot be pushed now */
    synchronized Lease lease(long nowNanos) throws PushUnavailableException {
        if (closed) {
            throw new PushUnavailableException("push provider is stopping; topic " + topic + " was not pushed");
        }
        if (recheck || nowNanos - nextCheckNanos >= 0) {
            refresh(nowNanos);
        }
        if (current == null) {
            throw new PushUnavailableException(unavailable);
        }
        if (current.notAfter.isBefore(Instant.now())) {
            recheck = true;
            throw new PushUnavailableException("the push certificate of topic " + topic + " expired at " + current.notAfter
                    + "; upload a renewed one to /v1/pushcert");
        }
        if (!current.acquire()) {
            throw new IllegalStateException("current client of topic " + topic + " is retired");
        }
        return new Lease(current);
    }

    /** Asks the store again before the next send: an answer suggested a revoked, expired or replaced certificate. */
    synchronized void recheckCertificate() {
        recheck = true;
    }

    /** @return {@code true} if a send made with {@code handle} would now go out with another certificate */
    synchronized boolean replacedSince(ClientHandle handle) {
        return current != handle;
    }

    synchronized void close() {
        closed = true;
        if (current != null) {
            current.retire();
            current = null;
        }
    }

    private void refresh(long nowNanos) {
        recheck = false;
        nextCheckNanos = nowNanos + settings.certificateCheck().toNanos();
        PushCertStore certs = store.get();
        if (certs == null) {
            if (current == null) {
                unavailable = "no push certificate store is available (is the storage bundle running?); topic " + topic
                        + " was not pushed";
            }
            // else: keep sending with the last certificate read; the store will be asked once it is back
            return;
        }
        try {
            if (current != null && certs.isCurrent(topic, current.version)) {
                return;
            }
            Optional<PushCertificate> found = certs.find(topic);
            if (found.isEmpty()) {
                replace(null);
                unavailable = "no push certificate for topic " + topic;
                return;
            }
            PushCertificate certificate = found.get();
            if (current != null && current.version.equals(certificate.version())) {
                return;
            }
            ClientHandle built = clients.build(certificate);
            LOG.info("APNs client for topic {} now uses certificate {} (expires {}), server {}", topic,
                    certificate.version(), certificate.notAfter(), settings.server());
            replace(built);
        } catch (PushUnavailableException e) {
            replace(null);
            unavailable = e.getMessage();
            LOG.error("{}", e.getMessage());
        } catch (RuntimeException e) {
            if (current == null) {
                unavailable = "cannot read the push certificate of topic " + topic + ": " + e.getMessage();
                LOG.warn("{}", unavailable, e);
            } else {
                LOG.warn("Cannot check whether the push certificate of topic {} changed; sending with version {}: {}",
                        topic, current.version, e.toString());
            }
        }
    }

    private void replace(ClientHandle next) {
        ClientHandle old = current;
        current = next;
        if (old != null) {
            old.retire();
        }
    }
}
