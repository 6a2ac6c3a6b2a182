package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which channels are known to have nothing pending, so that an idle device's check-in (by far the most frequent
 * request) costs no query. Only for a database this process owns alone (embedded Derby: no other process can write
 * it), where every command that becomes pending is enqueued through this process.
 *
 * <p>Each channel has a write epoch. A reader notes the epoch, queries, and records "empty at epoch e" only if the
 * query found nothing pending; the answer is reused while the epoch is unchanged. An enqueue bumps the epoch of each
 * target channel before it writes and again after it has committed, so an "empty" recorded from a query that ran
 * before the commit never matches the epoch after it. Only additions need to bump: cancelling, clearing, expiring and
 * acknowledging can only make a pending set smaller, which leaves "empty" true. Bounded: past {@link #LIMIT} channels
 * the hints are dropped (and rebuilt on the next check-ins).
 *
 * <p>A query that found exactly one pending command records it as the sole one at its epoch; once the device's report
 * completes that command (committed), the channel is empty at that epoch, if it is still current. So a device that is
 * given its only command and acknowledges it needs no query to learn that nothing follows.
 */
final class PendingHints {

    static final int LIMIT = 200_000;

    /** One channel's hint; a reader keeps the object it started with, so a dropped and rebuilt hint is never confused. */
    static final class Hint {
        private final AtomicLong epoch = new AtomicLong();
        private volatile long emptyAt = -1;
        private volatile Sole sole;

        private record Sole(long epoch, String commandUuid) {
        }

        /** @return the epoch to note before querying */
        long epoch() {
            return epoch.get();
        }

        /** @return whether nothing is pending as of {@code epoch} */
        boolean knownEmpty(long epoch) {
            return emptyAt == epoch;
        }

        /** The query that started at {@code epoch} found nothing pending (neither queued nor NotNow'd, unexpired). */
        void recordEmpty(long epoch) {
            emptyAt = epoch;
        }

        /** The query that started at {@code epoch} found this command, unexpired, and nothing else pending. */
        void recordSole(long epoch, String commandUuid) {
            sole = new Sole(epoch, commandUuid);
        }

        /** The channel's command {@code commandUuid} is completed (committed): if it was the sole pending one, none is. */
        void completed(String commandUuid) {
            Sole s = sole;
            if (s != null && s.epoch() == epoch.get() && s.commandUuid().equals(commandUuid)) {
                recordEmpty(s.epoch());
            }
        }
    }

    private final ConcurrentHashMap<EnrollmentId, Hint> hints = new ConcurrentHashMap<>();

    /** Before and after a write that may add pending commands to these channels. */
    void bump(Collection<EnrollmentId> ids) {
        for (EnrollmentId id : ids) {
            hint(id).epoch.incrementAndGet();
        }
    }

    Hint hint(EnrollmentId id) {
        Hint hint = hints.get(id);
        if (hint == null) {
            if (hints.size() >= LIMIT) {
                hints.clear();
            }
            hint = hints.computeIfAbsent(id, k -> new Hint());
        }
        return hint;
    }
}
