package io.verger.core.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.EnrollmentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * When each channel was last seen, written behind in batches. A connect within the resolution interval of the last time
 * this node recorded the channel writes nothing; otherwise the time is queued and {@link #flush} writes every queued
 * time in one transaction ({@link EnrollmentStore#seen(Map)}), which the engine calls about once a second. With
 * a resolution of 0 every connect is written at once, one write each.
 *
 * <p>Why behind: at 10,000 devices each connect would otherwise often carry its own durable commit, and on
 * PostgreSQL those commits, not the requests, set the pace (≈560 idle connects/s instead of thousands). What it
 * costs: a crash loses the times queued since the last flush (at most about a second); the stored time then stays at
 * the channel's previous one, which the resolution already allows to be that old for an active device. Check-ins that
 * change an enrollment (Authenticate, TokenUpdate) set last-seen in their own transaction, as before.
 */
final class LastSeenRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(LastSeenRecorder.class);
    static final int LIMIT = 200_000;

    private final Supplier<EnrollmentStore> store;
    private volatile long resolutionMillis = 30_000;
    /** When this node last recorded each channel (written or queued); bounded (cleared past the limit). */
    private final ConcurrentHashMap<EnrollmentId, Long> recorded = new ConcurrentHashMap<>();
    /** Times not yet written. At most one entry per channel, so bounded by the fleet. */
    private final ConcurrentHashMap<EnrollmentId, Instant> queued = new ConcurrentHashMap<>();

    LastSeenRecorder(Supplier<EnrollmentStore> store) {
        this.store = store;
    }

    void setResolutionMillis(long millis) {
        this.resolutionMillis = Math.max(0, millis);
    }

    /** A channel connected at {@code now}. */
    void seen(EnrollmentId id, Instant now) {
        long t = now.toEpochMilli();
        Long last = recorded.get(id);
        long resolution = resolutionMillis;
        if (last != null && t - last < resolution && t >= last) {
            return;
        }
        if (resolution == 0) {
            store.get().seen(id, now);
        } else {
            queued.merge(id, now, LastSeenRecorder::later);
        }
        recorded(id, t);
    }

    /** The channel's last-seen time was written as part of another change (a TokenUpdate) at {@code millis}. */
    void recorded(EnrollmentId id, long millis) {
        if (recorded.size() >= LIMIT) {
            recorded.clear();
        }
        recorded.put(id, millis);
    }

    /**
     * Writes the queued times in one transaction. If that fails (no store, database down), they stay queued for the
     * next flush; a time queued meanwhile for the same channel is kept if it is later.
     *
     * @return how many channels were written
     */
    int flush() {
        if (queued.isEmpty()) {
            return 0;
        }
        Map<EnrollmentId, Instant> batch = new HashMap<>();
        for (EnrollmentId id : queued.keySet()) {
            Instant t = queued.remove(id);
            if (t != null) {
                batch.put(id, t);
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            store.get().seen(batch); // the supplier throws when no store is installed
            return batch.size();
        } catch (RuntimeException e) {
            LOG.warn("Could not write the last-seen times of {} channel(s), will try again: {}", batch.size(), e.toString());
            batch.forEach((id, t) -> queued.merge(id, t, LastSeenRecorder::later));
            return 0;
        }
    }

    /** @return how many channels have a time not yet written */
    int queued() {
        return queued.size();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
