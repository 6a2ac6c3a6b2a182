package io.verger.push.apns.internal;

import com.eatthepath.pushy.apns.ApnsClient;
import io.verger.api.identity.CertificateFingerprint;

import java.time.Instant;

/**
 * One Pushy client built from one version of a topic's certificate. Once retired (the certificate was
 * replaced, or the configuration changed) it takes no new notification, and it is closed when the last
 * notification it carries has been answered: a renewal loses nothing in flight.
 */
final class ClientHandle {

    final ApnsClient client;
    final CertificateFingerprint version;
    final Instant notAfter;
    private int inFlight;
    private boolean retired;
    private boolean closed;

    ClientHandle(ApnsClient client, CertificateFingerprint version, Instant notAfter) {
        this.client = client;
        this.version = version;
        this.notAfter = notAfter;
    }

    synchronized boolean acquire() {
        if (retired) {
            return false;
        }
        inFlight++;
        return true;
    }

    void release() {
        boolean close;
        synchronized (this) {
            inFlight--;
            close = closeNow();
        }
        if (close) {
            client.close();
        }
    }

    void retire() {
        boolean close;
        synchronized (this) {
            retired = true;
            close = closeNow();
        }
        if (close) {
            client.close();
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private boolean closeNow() {
        if (retired && inFlight == 0 && !closed) {
            closed = true;
            return true;
        }
        return false;
    }
}
