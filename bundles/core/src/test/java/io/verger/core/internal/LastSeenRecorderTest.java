package io.verger.core.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.EnrollmentStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LastSeenRecorderTest {

    private static final Instant T = Instant.parse("2026-11-28T04:00:00Z");
    private static final EnrollmentId A = EnrollmentId.device("A");
    private static final EnrollmentId B = EnrollmentId.device("B");

    private final List<Map<EnrollmentId, Instant>> batches = new ArrayList<>();
    private final List<Map.Entry<EnrollmentId, Instant>> singles = new ArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();

    /** Only the two seen methods: anything else the recorder called would fail the test. */
    @SuppressWarnings("unchecked")
    private final EnrollmentStore store = (EnrollmentStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{EnrollmentStore.class}, (proxy, method, args) -> {
                if (!method.getName().equals("seen")) {
                    throw new AssertionError("unexpected call " + method);
                }
                if (down.get()) {
                    throw new io.verger.api.storage.StorageException("database down", null);
                }
                if (args.length == 1) {
                    batches.add(new HashMap<>((Map<EnrollmentId, Instant>) args[0]));
                } else {
                    singles.add(Map.entry((EnrollmentId) args[0], (Instant) args[1]));
                }
                return null;
            });

    private final LastSeenRecorder recorder = new LastSeenRecorder(() -> store);

    @Test
    void connectsAreWrittenInOneBatchPerFlushAtMostOncePerResolution() {
        recorder.setResolutionMillis(30_000);
        recorder.seen(A, T);
        recorder.seen(B, T);
        recorder.seen(A, T.plusSeconds(5)); // within the resolution of A's recorded time: nothing
        assertTrue(batches.isEmpty() && singles.isEmpty(), "nothing is written during a request");
        assertEquals(2, recorder.flush());
        assertEquals(List.of(Map.of(A, T, B, T)), batches);

        recorder.seen(A, T.plusSeconds(31));
        recorder.seen(A, T.plusSeconds(50)); // within 30 s of 31 s: not queued
        recorder.seen(A, T.plusSeconds(62)); // queued again before the flush: the later time wins
        assertEquals(1, recorder.flush());
        assertEquals(Map.of(A, T.plusSeconds(62)), batches.get(1));
        recorder.seen(A, T.plusSeconds(70));
        assertEquals(0, recorder.flush(), "within 30 s of 62 s: nothing queued");
        assertEquals(2, batches.size(), "an empty flush writes nothing");
    }

    @Test
    void aFailedFlushKeepsTheTimesForTheNextOne() {
        recorder.setResolutionMillis(30_000);
        recorder.seen(A, T);
        down.set(true);
        assertEquals(0, recorder.flush());
        assertEquals(1, recorder.queued());
        recorder.seen(B, T.plusSeconds(1));
        down.set(false);
        assertEquals(2, recorder.flush());
        assertEquals(List.of(Map.of(A, T, B, T.plusSeconds(1))), batches);
        assertEquals(0, recorder.queued());
    }

    @Test
    void aTimeWrittenByATokenUpdateCountsAsRecorded() {
        recorder.setResolutionMillis(30_000);
        recorder.recorded(A, T.toEpochMilli());
        recorder.seen(A, T.plusSeconds(10));
        assertEquals(0, recorder.flush());
        assertTrue(batches.isEmpty());
    }

    @Test
    void resolutionZeroWritesEveryConnectAtOnce() {
        recorder.setResolutionMillis(0);
        recorder.seen(A, T);
        recorder.seen(A, T.plusMillis(1));
        assertEquals(List.of(Map.entry(A, T), Map.entry(A, T.plusMillis(1))), singles);
        assertEquals(0, recorder.queued());
    }
}
