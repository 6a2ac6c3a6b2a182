package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.CommandStatus;
import io.verger.api.storage.QueuedCommand;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "nothing pending" hints of embedded Derby never hide a command that was enqueued. */
class PendingHintsTest extends EmbeddedDerbyConformance {

    @Test
    void anEmptyAnswerRecordedBeforeAnEnqueueDoesNotCountAfterIt() {
        PendingHints hints = new PendingHints();
        EnrollmentId id = EnrollmentId.device("D1");
        PendingHints.Hint hint = hints.hint(id);
        long before = hint.epoch();
        hints.bump(List.of(id));               // an enqueue starts
        hint.recordEmpty(before);              // a query that started before it found nothing
        hints.bump(List.of(id));               // the enqueue has committed
        assertFalse(hint.knownEmpty(hint.epoch()));

        long now = hint.epoch();
        hint.recordEmpty(now);
        assertTrue(hints.hint(id).knownEmpty(hints.hint(id).epoch()), "a quiet channel is known empty");
        assertFalse(hints.hint(EnrollmentId.device("D2")).knownEmpty(0), "an unknown channel is not");
    }

    @Test
    void derbyUsesHintsAndPostgresqlWouldNot() {
        assertNotNull(derby.db.pendingHints());
    }

    @Test
    void aCommandEnqueuedWhileTheDeviceChecksInIsNeverMissed() throws Exception {
        EnrollmentId id = enrolledDevice();
        var queue = stores.queue();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // a device checking in as fast as it can, so that "empty" answers race every enqueue
        Thread device = new Thread(() -> {
            try {
                while (!stop.get()) {
                    queue.next(id, false, at(1));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        device.start();
        try {
            for (int i = 0; i < 60; i++) {
                assertEquals(Optional.empty(), queue.next(id, false, at(1)), "round " + i + " starts empty");
                QueuedCommand command = command(at(0));
                assertTrue(queue.enqueue(command, List.of(id)).isEmpty());
                Optional<QueuedCommand> next = queue.next(id, false, at(1));
                assertTrue(next.isPresent(), "round " + i + ": the command enqueued a moment ago is delivered");
                assertEquals(command.commandUuid(), next.get().commandUuid());
                assertTrue(queue.report(result(id, command.commandUuid(), CommandStatus.ACKNOWLEDGED, at(2))));
            }
        } finally {
            stop.set(true);
            device.join();
        }
        assertNull(failure.get());
    }

    @Test
    void theSolePendingCommandCompletedLeavesTheChannelEmptyUnlessSomethingWasEnqueued() {
        PendingHints hints = new PendingHints();
        EnrollmentId id = EnrollmentId.device("D1");
        PendingHints.Hint hint = hints.hint(id);
        long e = hint.epoch();
        hint.recordSole(e, "A", 1);
        hint.completed("A");
        assertTrue(hint.knownEmpty(hint.epoch()));

        long e1 = hint.epoch();
        hint.recordSole(e1, "A2", 2);
        hint.completed("B");
        assertFalse(hint.knownEmpty(hint.epoch()), "another command's report says nothing about A2");
        hint.completed("A2");
        assertFalse(hint.knownEmpty(hint.epoch()), "the epoch moved on at B's report: A2's does not claim emptiness (a query will)");

        long e2 = hint.epoch();
        hint.recordSole(e2, "C", 3);
        hints.bump(List.of(id)); // an enqueue starts before C's report
        hint.completed("C");
        assertFalse(hint.knownEmpty(hint.epoch()), "the command being enqueued may be pending");
    }

    @Test
    void aDeviceAcknowledgingItsOnlyCommandIsKnownEmptyAndOneOfTwoIsNot() {
        EnrollmentId id = enrolledDevice();
        var queue = stores.queue();
        PendingHints.Hint hint = derby.db.pendingHints().hint(id);
        QueuedCommand only = command(at(0));
        queue.enqueue(only, List.of(id));
        assertEquals(only.commandUuid(), queue.next(id, false, at(1)).orElseThrow().commandUuid());
        assertFalse(hint.knownEmpty(hint.epoch()));
        assertTrue(queue.report(result(id, only.commandUuid(), CommandStatus.ACKNOWLEDGED, at(2))));
        assertTrue(hint.knownEmpty(hint.epoch()), "its only command acknowledged, the channel is empty without a query");
        assertEquals(Optional.empty(), queue.next(id, true, at(3)));

        QueuedCommand first = command(at(4));
        QueuedCommand second = command(at(4));
        queue.enqueue(first, List.of(id));
        queue.enqueue(second, List.of(id));
        assertEquals(first.commandUuid(), queue.next(id, false, at(5)).orElseThrow().commandUuid());
        assertTrue(queue.report(result(id, first.commandUuid(), CommandStatus.ACKNOWLEDGED, at(6))));
        assertFalse(hint.knownEmpty(hint.epoch()), "a second command was pending");
        assertEquals(second.commandUuid(), queue.next(id, true, at(7)).orElseThrow().commandUuid());

        // a NotNow report does not complete the command
        assertTrue(queue.report(result(id, second.commandUuid(), CommandStatus.NOT_NOW, at(8))));
        assertFalse(hint.knownEmpty(hint.epoch()));
        assertEquals(second.commandUuid(), queue.next(id, false, at(9)).orElseThrow().commandUuid());
    }

    @Test
    void aCommandEnqueuedWhileTheOnlyOneIsAcknowledgedIsNeverMissed() throws Exception {
        EnrollmentId id = enrolledDevice();
        var queue = stores.queue();
        QueuedCommand current = command(at(0));
        queue.enqueue(current, List.of(id));
        for (int i = 0; i < 60; i++) {
            assertEquals(current.commandUuid(), queue.next(id, false, at(1)).orElseThrow().commandUuid(), "round " + i);
            QueuedCommand added = command(at(0));
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread enqueuer = new Thread(() -> {
                try {
                    start.await();
                    queue.enqueue(added, List.of(id));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            enqueuer.start();
            start.await();
            assertTrue(queue.report(result(id, current.commandUuid(), CommandStatus.ACKNOWLEDGED, at(2))));
            Optional<QueuedCommand> raced = queue.next(id, true, at(3)); // may or may not see the racing enqueue
            enqueuer.join();
            assertNull(failure.get());
            if (raced.isPresent()) {
                assertEquals(added.commandUuid(), raced.get().commandUuid());
            }
            Optional<QueuedCommand> after = queue.next(id, true, at(3));
            assertTrue(after.isPresent(), "round " + i + ": the command enqueued during the acknowledgement is delivered");
            assertEquals(added.commandUuid(), after.get().commandUuid());
            current = added;
        }
    }

    @Test
    void anEnqueueIntoAnEmptyChannelMakesItsCommandTheSoleOneUntilAnythingElseHappens() {
        PendingHints hints = new PendingHints();
        EnrollmentId quiet = EnrollmentId.device("Q");
        EnrollmentId unknown = EnrollmentId.device("U");
        knownEmpty(hints, quiet);
        QueuedCommand c = command(at(0));
        PendingHints.Enqueue enqueue = hints.beforeEnqueue(List.of(quiet, unknown));
        enqueue.after(List.of(quiet, unknown), c, c.plist().length, 7);
        PendingHints.Hint q = hints.hint(quiet);
        assertSame(c, hints.sole(q, q.epoch(), at(1)), "empty before, so the new command is the only one");
        PendingHints.Hint u = hints.hint(unknown);
        assertNull(hints.sole(u, u.epoch(), at(1)), "not known empty before: other commands may be pending");

        q.completed(c.commandUuid());
        assertNull(hints.sole(q, q.epoch(), at(2)), "completed: no longer answered");
        assertTrue(q.knownEmpty(q.epoch()));

        // a removal (cancel, clear) bumps: the sole is forgotten
        PendingHints.Enqueue again = hints.beforeEnqueue(List.of(quiet));
        QueuedCommand d = command(at(3));
        again.after(List.of(quiet), d, d.plist().length, 8);
        assertSame(d, hints.sole(q, q.epoch(), at(4)));
        hints.bump(List.of(quiet));
        assertNull(hints.sole(q, q.epoch(), at(4)));
    }

    @Test
    void anEnqueueThatAnotherWriteOverlapsRecordsNoSoleCommand() {
        PendingHints hints = new PendingHints();
        EnrollmentId id = EnrollmentId.device("D1");
        PendingHints.Hint hint = knownEmpty(hints, id);
        QueuedCommand c = command(at(0));
        PendingHints.Enqueue enqueue = hints.beforeEnqueue(List.of(id));
        // committed, then delivered and acknowledged before the enqueue's second bump
        hint.completed(c.commandUuid());
        enqueue.after(List.of(id), c, c.plist().length, 5);
        assertNull(hints.sole(hint, hint.epoch(), at(1)), "already acknowledged: must not be answered again");

        hint.recordEmpty(hint.epoch());
        PendingHints.Enqueue first = hints.beforeEnqueue(List.of(id));
        PendingHints.Enqueue second = hints.beforeEnqueue(List.of(id));
        QueuedCommand a = command(at(2));
        QueuedCommand b = command(at(2));
        first.after(List.of(id), a, a.plist().length, 6);
        second.after(List.of(id), b, b.plist().length, 9);
        assertNull(hints.sole(hint, hint.epoch(), at(3)), "two enqueues overlapped: neither is the only command");

        hint.recordEmpty(hint.epoch());
        PendingHints.Enqueue failed = hints.beforeEnqueue(List.of(id));
        failed.after(List.of(), a, a.plist().length, -1);
        assertNull(hints.sole(hint, hint.epoch(), at(3)), "a failed enqueue records no command");
    }

    @Test
    void anExpiredSoleCommandIsNotAnswered() {
        PendingHints hints = new PendingHints();
        EnrollmentId id = EnrollmentId.device("D1");
        PendingHints.Hint hint = knownEmpty(hints, id);
        QueuedCommand c = command(at(0)).withTimeToLive(java.time.Duration.ofSeconds(10));
        PendingHints.Enqueue enqueue = hints.beforeEnqueue(List.of(id));
        enqueue.after(List.of(id), c, c.plist().length, 5);
        assertSame(c, hints.sole(hint, hint.epoch(), at(9)));
        assertNull(hints.sole(hint, hint.epoch(), at(10)), "expired at its expiry, as the query has it");
    }

    @Test
    void theSoleCommandFromTheHintsIsNeverOneThatWasCancelledClearedOrCompleted() {
        EnrollmentId id = enrolledDevice();
        var queue = stores.queue();
        PendingHints hints = derby.db.pendingHints();
        PendingHints.Hint hint = hints.hint(id);
        assertEquals(Optional.empty(), queue.next(id, false, at(0)), "known empty from here");

        QueuedCommand a = command(at(1));
        queue.enqueue(a, List.of(id));
        assertNotNull(hints.sole(hint, hint.epoch(), at(2)), "answered from the hints");
        assertEquals(a.commandUuid(), queue.next(id, false, at(2)).orElseThrow().commandUuid());
        assertArrayEquals(a.plist(), queue.next(id, false, at(2)).orElseThrow().plist());
        assertTrue(queue.cancel(id, a.commandUuid(), at(3)));
        assertEquals(Optional.empty(), queue.next(id, false, at(4)), "cancelled: not delivered");

        QueuedCommand b = command(at(5));
        queue.enqueue(b, List.of(id));
        assertEquals(1, queue.clear(id, at(6)));
        assertEquals(Optional.empty(), queue.next(id, false, at(7)), "cleared: not delivered");

        QueuedCommand c = command(at(8));
        queue.enqueue(c, List.of(id));
        assertTrue(queue.report(result(id, c.commandUuid(), CommandStatus.NOT_NOW, at(9))));
        assertEquals(Optional.empty(), queue.next(id, true, at(10)), "NotNow'd: not retried after another report");
        assertEquals(c.commandUuid(), queue.next(id, false, at(10)).orElseThrow().commandUuid(), "retried at the next Idle");
        assertTrue(queue.report(result(id, c.commandUuid(), CommandStatus.ACKNOWLEDGED, at(11))));
        assertEquals(Optional.empty(), queue.next(id, false, at(12)), "acknowledged: not delivered again");

        QueuedCommand d = command(at(13)).withTimeToLive(java.time.Duration.ofSeconds(5));
        queue.enqueue(d, List.of(id));
        assertEquals(d.commandUuid(), queue.next(id, false, at(14)).orElseThrow().commandUuid());
        assertEquals(Optional.empty(), queue.next(id, false, at(19)), "expired: not delivered");
    }

    /** @return the channel's hint, known to have nothing pending at its current epoch */
    private static PendingHints.Hint knownEmpty(PendingHints hints, EnrollmentId id) {
        PendingHints.Hint hint = hints.hint(id);
        hint.recordEmpty(hint.epoch());
        return hint;
    }
}
