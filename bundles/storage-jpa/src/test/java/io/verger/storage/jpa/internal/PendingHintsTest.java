package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.CommandStatus;
import io.verger.api.storage.QueuedCommand;
import io.verger.storage.tck.StorageFixture;
import io.verger.storage.tck.StoreConformance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "nothing pending" hints of embedded Derby never hide a command that was enqueued. */
class PendingHintsTest extends StoreConformance {

    @TempDir
    static Path dataDir;
    private static JpaStorageFixture derby;

    @BeforeAll
    static void open() {
        derby = new JpaStorageFixture(Database.open(StorageSettings.derby(dataDir)));
    }

    @AfterAll
    static void close() {
        derby.db.close();
    }

    @Override
    protected StorageFixture fixture() {
        return derby.clean();
    }

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
        hint.recordSole(e, "A");
        hint.completed("B");
        assertFalse(hint.knownEmpty(hint.epoch()), "another command's report says nothing about A");
        hint.completed("A");
        assertTrue(hint.knownEmpty(hint.epoch()));

        long e2 = hint.epoch();
        hint.recordSole(e2, "C");
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
}
