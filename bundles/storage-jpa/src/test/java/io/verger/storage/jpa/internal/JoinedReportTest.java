package io.verger.storage.jpa.internal;

import io.verger.api.CommandStatus;
import io.verger.api.EnrollmentId;
import io.verger.api.storage.CommandState;
import io.verger.api.storage.QueuedCommand;
import io.verger.api.storage.StorageException;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On embedded Derby a report's handling joins the report's transaction (Database.joined): one commit for both, and if a
 * joined write fails all of the handling's writes are rolled back while the report is stored.
 */
class JoinedReportTest extends EmbeddedDerbyConformance {

    @Test
    void derbyJoins() {
        assertTrue(derby.db.joins());
        assertFalse(derby.db.inJoin());
    }

    @Test
    void theHandlingRunsInTheReportsTransaction() {
        EnrollmentId id = enrolledDevice();
        String uuid = enqueueOne(id);
        List<Boolean> joined = new ArrayList<>();
        assertTrue(stores.queue().report(result(id, uuid, CommandStatus.ACKNOWLEDGED, at(2)), known -> {
            joined.add(derby.db.inJoin());
            stores.inventory().update(id, Map.of("DeviceName", "joined"), at(2));
        }));
        assertEquals(List.of(true), joined);
        assertFalse(derby.db.inJoin(), "the join ends with the report");
        assertEquals("joined", stores.inventory().find(id).orElseThrow().values().get("DeviceName"));
    }

    @Test
    void aFailedJoinedWriteRollsBackTheHandlingsWritesButNotTheReport() {
        EnrollmentId id = enrolledDevice();
        stores.inventory().update(id, Map.of("DeviceName", "before"), at(1));
        String uuid = enqueueOne(id);
        List<String> seen = new ArrayList<>();
        assertTrue(stores.queue().report(result(id, uuid, CommandStatus.ACKNOWLEDGED, at(2)), known -> {
            stores.inventory().update(id, Map.of("DeviceName", "merged"), at(2));
            StorageException e = assertThrows(StorageException.class, () -> derby.db.statement("a write that fails", c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO inventory (device_id, inventory_values, updated_at) VALUES (?, ?, ?)")) {
                    ps.setString(1, id.deviceId()); // the row exists: duplicate key
                    ps.setBytes(2, new byte[0]);
                    ps.setLong(3, 1);
                    return ps.executeUpdate();
                }
            }));
            seen.add(e.getMessage());
            // what follows in the same handling fails at once: its transaction is to be rolled back
            assertThrows(StorageException.class, () -> stores.inventory().update(id, Map.of("OSVersion", "x"), at(2)));
        }));
        assertEquals(1, seen.size());
        assertEquals(CommandState.ACKNOWLEDGED, stores.queue().find(id, uuid).orElseThrow().state(), "the report is stored");
        assertEquals(Map.of("DeviceName", "before"), stores.inventory().find(id).orElseThrow().values(),
                "the merge made before the failed write is rolled back too");
        assertEquals(Optional.empty(), stores.queue().next(id, false, at(3)));
    }

    @Test
    void aCancelInTheHandlingIsNotAnsweredFromTheHints() {
        EnrollmentId id = enrolledDevice();
        String first = enqueueOne(id);
        String second = enqueueOne(id);
        assertTrue(stores.queue().report(result(id, first, CommandStatus.ACKNOWLEDGED, at(2)),
                known -> assertTrue(stores.queue().cancel(id, second, at(2)))));
        assertEquals(Optional.empty(), stores.queue().next(id, false, at(3)), "the cancelled command is not delivered");
        assertEquals(CommandState.CANCELLED, stores.queue().find(id, second).orElseThrow().state());
    }

    @Test
    void anEnqueueRolledBackWithTheHandlingIsNeverDelivered() {
        EnrollmentId id = enrolledDevice();
        String uuid = enqueueOne(id);
        assertEquals(Optional.of(uuid), stores.queue().next(id, false, at(1)).map(QueuedCommand::commandUuid));
        QueuedCommand followUp = command(at(0));
        assertThrows(IllegalStateException.class, () -> stores.queue().report(result(id, uuid, CommandStatus.ACKNOWLEDGED, at(2)), known -> {
            assertTrue(stores.queue().enqueue(followUp, List.of(id)).isEmpty());
            throw new IllegalStateException("the handler fails after queueing a follow-up");
        }));
        assertTrue(stores.queue().find(id, followUp.commandUuid()).isEmpty(), "the follow-up was rolled back");
        assertEquals(Optional.empty(), stores.queue().next(id, false, at(3)), "and is not answered from the hints");
        assertEquals(CommandState.ACKNOWLEDGED, stores.queue().find(id, uuid).orElseThrow().state());
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aHandlingMayMergeTwiceIntoADeviceThatAnotherThreadMergesInto() throws Exception {
        EnrollmentId id = enrolledDevice();
        stores.inventory().update(id, Map.of("DeviceName", "before"), at(1));
        String uuid = enqueueOne(id);
        java.util.concurrent.atomic.AtomicReference<Thread> other = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> otherFailed = new java.util.concurrent.atomic.AtomicReference<>();
        assertTrue(stores.queue().report(result(id, uuid, CommandStatus.ACKNOWLEDGED, at(2)), known -> {
            stores.inventory().update(id, Map.of("DeviceName", "first"), at(2));
            // another report of the same device merges meanwhile (a user channel's, say)
            Thread t = new Thread(() -> {
                try {
                    stores.inventory().update(id, Map.of("OSVersion", "other"), at(3));
                } catch (Throwable e) {
                    otherFailed.set(e);
                }
            });
            other.set(t);
            t.start();
            for (int i = 0; i < 500 && t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING; i++) {
                try {
                    Thread.sleep(10); // until it waits (for the device's stripe), so that the second merge below meets it
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            stores.inventory().update(id, Map.of("BuildVersion", "second"), at(2));
        }));
        other.get().join();
        assertEquals(null, otherFailed.get());
        assertEquals(Map.of("DeviceName", "first", "BuildVersion", "second", "OSVersion", "other"),
                stores.inventory().find(id).orElseThrow().values(), "no merge lost");
    }

    private String enqueueOne(EnrollmentId id) {
        QueuedCommand c = command(at(0));
        assertTrue(stores.queue().enqueue(c, List.of(id)).isEmpty());
        return c.commandUuid();
    }
}
