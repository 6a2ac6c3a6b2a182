package io.verger.push.apns.internal;

import java.time.Instant;

/**
 * Fails fast while APNs keeps failing for one topic: after {@code threshold} consecutive failures
 * (5xx answers, connection and TLS errors), each no further than {@code window} from the previous
 * one, the circuit opens for {@code openFor}; then the next sends go through again (half-open) and
 * the first answer closes it, or a failure opens it again at once.
 */
final class CircuitBreaker {

    private final int threshold;
    private final long windowNanos;
    private final long openNanos;

    private int consecutiveFailures;
    private long lastFailureNanos;
    private boolean open;
    private boolean halfOpen;
    private long openUntilNanos;
    private Instant openUntil;
    private String lastFailure;

    CircuitBreaker(int threshold, long windowNanos, long openNanos) {
        this.threshold = threshold;
        this.windowNanos = windowNanos;
        this.openNanos = openNanos;
    }

    /** @return {@code null} if a send may go ahead, otherwise why not, for people */
    synchronized String rejection(long nowNanos) {
        if (!open) {
            return null;
        }
        if (nowNanos - openUntilNanos >= 0) {
            open = false;
            halfOpen = true;
            return null;
        }
        return "APNs circuit open after " + consecutiveFailures + " consecutive failures (last: " + lastFailure
                + "); sending resumes after " + openUntil;
    }

    synchronized void success() {
        consecutiveFailures = 0;
        open = false;
        halfOpen = false;
    }

    /** @return {@code true} if this failure opened the circuit */
    synchronized boolean failure(long nowNanos, String what) {
        lastFailure = what;
        if (consecutiveFailures > 0 && nowNanos - lastFailureNanos > windowNanos) {
            consecutiveFailures = 0;
        }
        consecutiveFailures++;
        lastFailureNanos = nowNanos;
        if (open) {
            return false;
        }
        if (halfOpen || consecutiveFailures >= threshold) {
            open = true;
            halfOpen = false;
            openUntilNanos = nowNanos + openNanos;
            openUntil = Instant.now().plusNanos(openNanos);
            return true;
        }
        return false;
    }

    synchronized boolean isOpen(long nowNanos) {
        return open && nowNanos - openUntilNanos < 0;
    }
}
