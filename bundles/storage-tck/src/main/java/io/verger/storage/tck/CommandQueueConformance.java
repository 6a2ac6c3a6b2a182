package io.verger.storage.tck;

import io.verger.api.CommandStatus;
import io.verger.api.EnrollmentId;
import io.verger.api.storage.CommandQueue;
import io.verger.api.storage.CommandRecord;
import io.verger.api.storage.CommandResult;
import io.verger.api.storage.CommandState;
import io.verger.api.storage.QueuedCommand;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.TokenUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue semantics {@link CommandQueue}'s Javadoc specifies. */
public abstract class CommandQueueConformance extends StoreConformance {

    private CommandQueue queue() {
        return stores.queue();
    }

    private QueuedCommand enqueue(EnrollmentId id, QueuedCommand c) {
        assertEquals(Set.of(), queue().enqueue(c, List.of(id)), "queued for " + id);
        return c;
    }

    private Optional<String> nextUuid(EnrollmentId id, boolean skipNotNow, Instant now) {
        return queue().next(id, skipNotNow, now).map(QueuedCommand::commandUuid);
    }

    private CommandRecord record(EnrollmentId id, String uuid) {
        return queue().find(id, uuid).orElseThrow(() -> new AssertionError("no record of " + uuid + " for " + id));
    }

    @Test
    void emptyQueueHasNoNextCommand() {
        EnrollmentId id = enrolledDevice();
        assertTrue(queue().next(id, false, T0).isEmpty());
        assertTrue(queue().next(id, true, T0).isEmpty());
        assertTrue(queue().pending(id, T0).isEmpty());
        assertTrue(queue().next(newDevice(), false, T0).isEmpty(), "unknown channel");
    }

    @Test
    void nextReturnsTheCommandExactlyAsEnqueued() {
        EnrollmentId id = enrolledDevice();
        QueuedCommand c = new QueuedCommand(newUuid(), "InstallProfile", commandPlist("x", "InstallProfile"), 7,
                at(1), at(1).plus(Duration.ofDays(3)));
        enqueue(id, c);
        assertEquals(Optional.of(c), queue().next(id, false, at(2)));
    }

    @Test
    void commandsOfEqualPriorityAreDeliveredFirstInFirstOut() {
        EnrollmentId id = enrolledDevice();
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // createdAt deliberately out of order: delivery follows enqueue order, not the clocks
            uuids.add(enqueue(id, command(at(100 - i))).commandUuid());
        }
        assertEquals(uuids, queue().pending(id, at(200)).stream().map(QueuedCommand::commandUuid).toList());
        for (String uuid : uuids) {
            assertEquals(Optional.of(uuid), nextUuid(id, true, at(200)));
            assertTrue(queue().report(result(id, uuid, CommandStatus.ACKNOWLEDGED, at(201))));
        }
        assertTrue(queue().next(id, true, at(200)).isEmpty());
    }

    @Test
    void higherPriorityIsDeliveredFirst() {
        EnrollmentId id = enrolledDevice();
        String low = enqueue(id, command(at(1))).commandUuid();
        String high = enqueue(id, command(at(2)).withPriority(10)).commandUuid();
        String negative = enqueue(id, command(at(3)).withPriority(-5)).commandUuid();
        String high2 = enqueue(id, command(at(4)).withPriority(10)).commandUuid();
        assertEquals(List.of(high, high2, low, negative),
                queue().pending(id, at(5)).stream().map(QueuedCommand::commandUuid).toList());
        assertEquals(Optional.of(high), nextUuid(id, false, at(5)));
    }

    @Test
    void deliveringDoesNotChangeTheQueue() {
        EnrollmentId id = enrolledDevice();
        String uuid = enqueue(id, command(T0)).commandUuid();
        assertEquals(Optional.of(uuid), nextUuid(id, false, at(1)));
        assertEquals(Optional.of(uuid), nextUuid(id, false, at(2)));
        assertEquals(CommandState.QUEUED, record(id, uuid).state());
        assertNull(record(id, uuid).lastResult());
    }

    @ParameterizedTest
    @EnumSource(value = CommandStatus.class, names = {"ACKNOWLEDGED", "ERROR", "COMMAND_FORMAT_ERROR"})
    void finalStatusCompletesTheCommand(CommandStatus status) {
        EnrollmentId id = enrolledDevice();
        String uuid = enqueue(id, command(T0)).commandUuid();
        String second = enqueue(id, command(T0)).commandUuid();
        CommandResult r = result(id, uuid, status, at(3));
        assertTrue(queue().report(r));
        CommandRecord rec = record(id, uuid);
        assertEquals(CommandState.of(status), rec.state());
        assertEquals(r, rec.lastResult(), "kept with its raw plist and error chain");
        assertEquals(at(3), rec.updatedAt());
        assertEquals(Optional.of(second), nextUuid(id, false, at(4)), "never delivered again");
        assertEquals(List.of(second), queue().pending(id, at(4)).stream().map(QueuedCommand::commandUuid).toList());
    }

    @Test
    void reportWithHandlingStoresTheReportAndStoresWhatTheHandlingWrites() {
        EnrollmentId id = enrolledDevice();
        String uuid = enqueue(id, command(T0)).commandUuid();
        String next = enqueue(id, command(T0)).commandUuid();
        CommandResult r = result(id, uuid, CommandStatus.ACKNOWLEDGED, at(3));
        List<Boolean> told = new ArrayList<>();
        assertTrue(queue().report(r, known -> {
            told.add(known);
            // what a command type does with an acknowledged result: merge inventory, look at its own record
            stores.inventory().update(id, java.util.Map.of("DeviceName", "handled"), at(3));
            assertEquals(CommandState.ACKNOWLEDGED, record(id, uuid).state(), "the handling sees the stored report");
            assertEquals("handled", stores.inventory().find(id).orElseThrow().values().get("DeviceName"),
                    "and what it wrote itself");
        }));
        assertEquals(List.of(true), told);
        assertEquals(r, record(id, uuid).lastResult());
        assertEquals("handled", stores.inventory().find(id).orElseThrow().values().get("DeviceName"));
        assertEquals(Optional.of(next), nextUuid(id, false, at(4)));

        told.clear();
        assertFalse(queue().report(result(id, "UNKNOWN-" + newUuid(), CommandStatus.ACKNOWLEDGED, at(5)), told::add));
        assertEquals(List.of(false), told, "the handling hears that the command is unknown");
    }

    @Test
    void reportWithFailingHandlingStillStoresTheReport() {
        EnrollmentId id = enrolledDevice();
        String uuid = enqueue(id, command(T0)).commandUuid();
        CommandResult r = result(id, uuid, CommandStatus.ERROR, at(3));
        IllegalStateException failure = new IllegalStateException("handler bug");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> queue().report(r, known -> {
            throw failure;
        }));
        assertEquals(failure, thrown, "the handling's exception is passed on");
        assertEquals(CommandState.ERROR, record(id, uuid).state(), "the report is stored all the same");
        assertEquals(r, record(id, uuid).lastResult());
        assertEquals(Optional.empty(), nextUuid(id, false, at(4)));
    }

    @Test
    void commandEnqueuedByTheHandlingIsDeliveredNext() {
        EnrollmentId id = enrolledDevice();
        String uuid = enqueue(id, command(T0)).commandUuid();
        assertEquals(Optional.of(uuid), nextUuid(id, false, at(1)));
        QueuedCommand followUp = command(T0);
        assertTrue(queue().report(result(id, uuid, CommandStatus.ACKNOWLEDGED, at(2)), known -> enqueue(id, followUp)));
        assertEquals(Optional.of(followUp.commandUuid()), nextUuid(id, false, at(3)), "a follow-up queued while handling a result");
        assertTrue(queue().report(result(id, followUp.commandUuid(), CommandStatus.ACKNOWLEDGED, at(4)), known -> { }));
        assertEquals(Optional.empty(), nextUuid(id, false, at(5)));
    }

    @Test
    void notNowKeepsCommandForNextConnect() {
        EnrollmentId id = enrolledDevice();
        String first = enqueue(id, command(T0)).commandUuid();
        String second = enqueue(id, command(T0)).commandUuid();
        // the connect: Idle -> first; NotNow -> second in this connect
        assertEquals(Optional.of(first), nextUuid(id, false, at(1)));
        CommandResult notNow = result(id, first, CommandStatus.NOT_NOW, at(2));
        assertTrue(queue().report(notNow));
        assertEquals(CommandState.NOT_NOW, record(id, first).state());
        assertEquals(notNow, record(id, first).lastResult());
        assertEquals(Optional.of(second), nextUuid(id, true, at(2)), "NotNow moves on to the next command");
        assertTrue(queue().report(result(id, second, CommandStatus.ACKNOWLEDGED, at(3))));
        assertTrue(queue().next(id, true, at(3)).isEmpty(), "nothing else this connect");
        // a later connect starts with Idle: the NotNow command is given again
        assertEquals(Optional.of(first), nextUuid(id, false, at(60)));
        assertEquals(List.of(first), queue().pending(id, at(60)).stream().map(QueuedCommand::commandUuid).toList());
        assertTrue(queue().report(result(id, first, CommandStatus.ACKNOWLEDGED, at(61))));
        assertEquals(CommandState.ACKNOWLEDGED, record(id, first).state());
        assertTrue(queue().next(id, false, at(62)).isEmpty());
    }

    @Test
    void idleAfterNotNowReturnsTheSameCommandAgain() {
        EnrollmentId id = enrolledDevice();
        String only = enqueue(id, command(T0)).commandUuid();
        assertTrue(queue().report(result(id, only, CommandStatus.NOT_NOW, at(1))));
        assertTrue(queue().next(id, true, at(1)).isEmpty());
        assertEquals(Optional.of(only), nextUuid(id, false, at(2)));
        assertTrue(queue().report(result(id, only, CommandStatus.NOT_NOW, at(3))), "NotNow again");
        assertEquals(CommandState.NOT_NOW, record(id, only).state());
        assertEquals(at(3), record(id, only).lastResult().receivedAt());
    }

    @Test
    void repeatedReportReplacesTheStoredResult() {
        EnrollmentId id = enrolledDevice();
        String uuid = enqueue(id, command(T0)).commandUuid();
        assertTrue(queue().report(result(id, uuid, CommandStatus.ERROR, at(1))));
        CommandResult again = result(id, uuid, CommandStatus.ACKNOWLEDGED, at(2));
        assertTrue(queue().report(again), "a duplicate report is still for a known command");
        assertEquals(again, record(id, uuid).lastResult());
        assertEquals(CommandState.ACKNOWLEDGED, record(id, uuid).state());
    }

    @Test
    void notNowAfterCompletionChangesNothing() {
        EnrollmentId id = enrolledDevice();
        String uuid = enqueue(id, command(T0)).commandUuid();
        CommandResult ack = result(id, uuid, CommandStatus.ACKNOWLEDGED, at(1));
        assertTrue(queue().report(ack));
        assertTrue(queue().report(result(id, uuid, CommandStatus.NOT_NOW, at(2))), "the channel had the command");
        assertEquals(CommandState.ACKNOWLEDGED, record(id, uuid).state());
        assertEquals(ack, record(id, uuid).lastResult());
        assertTrue(queue().next(id, false, at(3)).isEmpty());
    }

    @Test
    void reportForUnknownCommandStoresNothing() {
        EnrollmentId id = enrolledDevice();
        String unknown = newUuid();
        assertFalse(queue().report(result(id, unknown, CommandStatus.ACKNOWLEDGED, at(1))));
        assertTrue(queue().find(id, unknown).isEmpty());
        assertTrue(queue().history(id, 10).isEmpty());
    }

    @Test
    void finalReportForCancelledCommandCompletesIt() {
        EnrollmentId id = enrolledDevice();
        String uuid = enqueue(id, command(T0)).commandUuid();
        assertTrue(queue().cancel(id, uuid, at(1)));
        CommandResult ack = result(id, uuid, CommandStatus.ACKNOWLEDGED, at(2));
        assertTrue(queue().report(ack), "a device that had received it did run it");
        assertEquals(CommandState.ACKNOWLEDGED, record(id, uuid).state());
        assertEquals(ack, record(id, uuid).lastResult());
        assertTrue(queue().next(id, false, at(3)).isEmpty());
    }

    @Test
    void notNowForCancelledCommandKeepsItCancelled() {
        EnrollmentId id = enrolledDevice();
        String uuid = enqueue(id, command(T0)).commandUuid();
        assertTrue(queue().cancel(id, uuid, at(1)));
        assertTrue(queue().report(result(id, uuid, CommandStatus.NOT_NOW, at(2))));
        CommandRecord rec = record(id, uuid);
        assertEquals(CommandState.CANCELLED, rec.state());
        assertEquals(at(1), rec.updatedAt());
        assertNull(rec.lastResult());
        assertTrue(queue().next(id, false, at(3)).isEmpty());
    }

    @Test
    void finalReportForExpiredCommandCompletesIt() {
        EnrollmentId id = enrolledDevice();
        QueuedCommand c = enqueue(id, command(T0).withTimeToLive(Duration.ofSeconds(10)));
        assertTrue(queue().report(result(id, c.commandUuid(), CommandStatus.ERROR, at(20))));
        assertEquals(CommandState.ERROR, record(id, c.commandUuid()).state());
    }

    @Test
    void expiredCommandIsNeverDeliveredAndReadsExpired() {
        EnrollmentId id = enrolledDevice();
        QueuedCommand c = enqueue(id, command(T0).withTimeToLive(Duration.ofSeconds(10)));
        String other = enqueue(id, command(T0)).commandUuid();
        assertEquals(Optional.of(c.commandUuid()), nextUuid(id, false, at(9)));
        assertEquals(Optional.of(other), nextUuid(id, false, at(10)), "expires at its expiry instant");
        assertEquals(List.of(other), queue().pending(id, at(11)).stream().map(QueuedCommand::commandUuid).toList());
        CommandRecord rec = record(id, c.commandUuid());
        assertEquals(CommandState.EXPIRED, rec.state());
        assertEquals(at(10), rec.updatedAt(), "a command's state changes when it expires");
        assertFalse(queue().cancel(id, c.commandUuid(), at(12)), "an expired command is not pending");
    }

    @Test
    void notNowCommandExpiresToo() {
        EnrollmentId id = enrolledDevice();
        QueuedCommand c = enqueue(id, command(T0).withTimeToLive(Duration.ofSeconds(10)));
        assertTrue(queue().report(result(id, c.commandUuid(), CommandStatus.NOT_NOW, at(1))));
        assertTrue(queue().next(id, false, at(10)).isEmpty());
        assertEquals(CommandState.EXPIRED, record(id, c.commandUuid()).state());
    }

    @Test
    void cancelStopsDeliveryOfAPendingCommandOnly() {
        EnrollmentId id = enrolledDevice();
        String a = enqueue(id, command(T0)).commandUuid();
        String b = enqueue(id, command(T0)).commandUuid();
        assertTrue(queue().cancel(id, a, at(1)));
        assertEquals(CommandState.CANCELLED, record(id, a).state());
        assertEquals(at(1), record(id, a).updatedAt());
        assertFalse(queue().cancel(id, a, at(2)), "already cancelled");
        assertEquals(Optional.of(b), nextUuid(id, false, at(3)));
        queue().report(result(id, b, CommandStatus.ACKNOWLEDGED, at(4)));
        assertFalse(queue().cancel(id, b, at(5)), "already completed");
        assertFalse(queue().cancel(id, newUuid(), at(5)), "unknown");
        assertFalse(queue().cancel(newDevice(), a, at(5)), "another channel's command");
    }

    @Test
    void clearCancelsEveryPendingCommandOfOneChannel() {
        EnrollmentId device = enrolledDevice();
        EnrollmentId user = device.userChannel("501");
        stores.enrollments().tokenUpdate(new TokenUpdate(new PushTarget(user, token(user, 1), "m", "t"), null, false, "u", "U", T0));
        EnrollmentId other = enrolledDevice();
        String done = enqueue(device, command(T0)).commandUuid();
        queue().report(result(device, done, CommandStatus.ACKNOWLEDGED, at(1)));
        String notNow = enqueue(device, command(T0)).commandUuid();
        queue().report(result(device, notNow, CommandStatus.NOT_NOW, at(1)));
        enqueue(device, command(T0));
        enqueue(device, command(T0));
        String userCmd = enqueue(user, command(T0)).commandUuid();
        String otherCmd = enqueue(other, command(T0)).commandUuid();
        assertEquals(3, queue().clear(device, at(2)));
        assertTrue(queue().pending(device, at(3)).isEmpty());
        assertEquals(CommandState.CANCELLED, record(device, notNow).state());
        assertEquals(CommandState.ACKNOWLEDGED, record(device, done).state());
        assertEquals(Optional.of(userCmd), nextUuid(user, false, at(3)), "user channels are not affected");
        assertEquals(Optional.of(otherCmd), nextUuid(other, false, at(3)));
        assertEquals(0, queue().clear(device, at(4)));
    }

    @Test
    void commandForOneDeviceIsNeverReturnedForAnother() {
        EnrollmentId a = enrolledDevice();
        EnrollmentId b = enrolledDevice();
        String uuid = enqueue(a, command(T0)).commandUuid();
        assertTrue(queue().next(b, false, at(1)).isEmpty());
        assertTrue(queue().pending(b, at(1)).isEmpty());
        assertTrue(queue().find(b, uuid).isEmpty());
        assertFalse(queue().report(result(b, uuid, CommandStatus.ACKNOWLEDGED, at(2))), "b cannot answer a's command");
        assertEquals(CommandState.QUEUED, record(a, uuid).state());
        assertTrue(queue().history(b, 10).isEmpty());
    }

    @Test
    void userChannelHasItsOwnQueue() {
        EnrollmentId device = enrolledDevice();
        EnrollmentId user = device.userChannel("501");
        stores.enrollments().tokenUpdate(new TokenUpdate(new PushTarget(user, token(user, 1), "m", "t"), null, false, "u", "U", T0));
        String d = enqueue(device, command(T0)).commandUuid();
        String u = enqueue(user, command(T0)).commandUuid();
        assertEquals(Optional.of(d), nextUuid(device, false, at(1)));
        assertEquals(Optional.of(u), nextUuid(user, false, at(1)));
        assertFalse(queue().report(result(user, d, CommandStatus.ACKNOWLEDGED, at(2))));
    }

    @Test
    void enqueueToManyChannelsLeavesOutUnknownAndDisabledOnes() {
        List<EnrollmentId> enabled = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            enabled.add(enrolledDevice());
        }
        EnrollmentId disabled = enrolledDevice();
        stores.enrollments().disable(disabled);
        EnrollmentId authenticatedOnly = newDevice();
        stores.enrollments().authenticate(authenticatedOnly, io.verger.api.EnrollmentType.DEVICE, iPhoneFacts("X"), T0);
        EnrollmentId unknown = newDevice();
        List<EnrollmentId> all = new ArrayList<>(enabled);
        all.addAll(List.of(disabled, unknown, authenticatedOnly));
        Collections.shuffle(all);
        QueuedCommand c = command(T0);
        assertEquals(Set.of(disabled, unknown, authenticatedOnly), queue().enqueue(c, all));
        for (EnrollmentId id : enabled) {
            assertEquals(Optional.of(c), queue().next(id, false, at(1)));
        }
        assertTrue(queue().find(disabled, c.commandUuid()).isEmpty());
        assertTrue(queue().find(unknown, c.commandUuid()).isEmpty());
        // one channel's report completes only its own copy
        assertTrue(queue().report(result(enabled.get(0), c.commandUuid(), CommandStatus.ACKNOWLEDGED, at(2))));
        assertEquals(Optional.of(c), queue().next(enabled.get(1), false, at(3)));
    }

    @Test
    void enqueueToNoChannelsQueuesNothing() {
        assertEquals(Set.of(), queue().enqueue(command(T0), List.of()));
    }

    @Test
    void duplicateCommandUuidQueuesNothingAndNamesChannelAndUuid() {
        EnrollmentId a = enrolledDevice();
        EnrollmentId b = enrolledDevice();
        QueuedCommand c = command(T0);
        enqueue(a, c);
        QueuedCommand again = command(c.commandUuid(), at(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> queue().enqueue(again, List.of(b, a)));
        assertTrue(e.getMessage().contains(a.format()) && e.getMessage().contains(c.commandUuid()), e.getMessage());
        assertTrue(queue().find(b, c.commandUuid()).isEmpty(), "atomic: nothing queued for b");
        assertEquals(1, queue().pending(a, at(6)).size());
        // a completed command's UUID is still known to the channel
        queue().report(result(a, c.commandUuid(), CommandStatus.ACKNOWLEDGED, at(7)));
        assertThrows(IllegalArgumentException.class, () -> queue().enqueue(again, List.of(a)));
    }

    @Test
    void sameCommandUuidMayBeQueuedForAnotherChannelLater() {
        EnrollmentId a = enrolledDevice();
        EnrollmentId b = enrolledDevice();
        QueuedCommand c = command(T0);
        enqueue(a, c);
        enqueue(b, c);
        assertEquals(Optional.of(c), queue().next(b, false, at(1)));
    }

    @Test
    void historyListsNewestFirstUpToTheLimit() {
        EnrollmentId id = enrolledDevice();
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            uuids.add(enqueue(id, command(at(i))).commandUuid());
        }
        queue().report(result(id, uuids.get(0), CommandStatus.ACKNOWLEDGED, at(10)));
        queue().cancel(id, uuids.get(1), at(11));
        List<CommandRecord> history = queue().history(id, 3);
        assertEquals(List.of(uuids.get(4), uuids.get(3), uuids.get(2)), history.stream().map(r -> r.command().commandUuid()).toList());
        assertEquals(5, queue().history(id, 100).size());
        assertEquals(CommandState.ACKNOWLEDGED, queue().history(id, 100).get(4).state());
        assertEquals(id, history.get(0).enrollmentId());
        assertThrows(IllegalArgumentException.class, () -> queue().history(id, 0));
    }

    @Test
    void purgeDeletesOldHistoryButNeverPendingCommands() {
        EnrollmentId id = enrolledDevice();
        String acked = enqueue(id, command(T0)).commandUuid();
        String cancelled = enqueue(id, command(T0)).commandUuid();
        String recent = enqueue(id, command(T0)).commandUuid();
        String pendingOld = enqueue(id, command(T0)).commandUuid();
        String notNowOld = enqueue(id, command(T0)).commandUuid();
        String expired = enqueue(id, command(T0).withTimeToLive(Duration.ofSeconds(5))).commandUuid();
        // find() has no "now": the store reads expiry against its own clock, so this one expires far ahead
        String expiresLater = enqueue(id, command(T0).withTimeToLive(Duration.ofDays(365 * 50))).commandUuid();
        queue().report(result(id, acked, CommandStatus.ACKNOWLEDGED, at(10)));
        queue().cancel(id, cancelled, at(20));
        queue().report(result(id, recent, CommandStatus.ERROR, at(1000)));
        queue().report(result(id, notNowOld, CommandStatus.NOT_NOW, at(10)));

        assertEquals(3, queue().purge(at(100)), "acked, cancelled and expired are older than the cutoff");
        assertTrue(queue().find(id, acked).isEmpty());
        assertTrue(queue().find(id, cancelled).isEmpty());
        assertTrue(queue().find(id, expired).isEmpty());
        assertEquals(CommandState.ERROR, record(id, recent).state());
        assertEquals(CommandState.QUEUED, record(id, pendingOld).state());
        assertEquals(CommandState.NOT_NOW, record(id, notNowOld).state());
        assertEquals(CommandState.QUEUED, record(id, expiresLater).state());
        assertEquals(List.of(pendingOld, notNowOld, expiresLater),
                queue().pending(id, at(2000)).stream().map(QueuedCommand::commandUuid).toList());
        assertEquals(0, queue().purge(at(100)), "nothing left to purge");
        assertFalse(queue().report(result(id, acked, CommandStatus.ACKNOWLEDGED, at(2001))), "purged commands are unknown");
    }

    @Test
    void purgedCommandUuidMayBeQueuedAgain() {
        EnrollmentId id = enrolledDevice();
        QueuedCommand c = enqueue(id, command(T0));
        queue().report(result(id, c.commandUuid(), CommandStatus.ACKNOWLEDGED, at(1)));
        assertEquals(1, queue().purge(at(2)));
        enqueue(id, command(c.commandUuid(), at(3)));
        assertEquals(CommandState.QUEUED, record(id, c.commandUuid()).state());
    }

    @Test
    void byteArraysAreCopiedInAndOut() {
        EnrollmentId id = enrolledDevice();
        byte[] plist = commandPlist("copy", "DeviceLock");
        QueuedCommand c = QueuedCommand.of(newUuid(), "DeviceLock", plist, T0);
        enqueue(id, c);
        byte[] out = queue().next(id, false, at(1)).orElseThrow().plist();
        out[0] = 0;
        assertArrayEquals(plist, queue().next(id, false, at(1)).orElseThrow().plist());
        assertArrayEquals(plist, record(id, c.commandUuid()).command().plist());
    }

    @Test
    void nullArgumentsThrowNullPointerException() {
        EnrollmentId id = enrolledDevice();
        assertThrows(NullPointerException.class, () -> queue().next(null, false, T0));
        assertThrows(NullPointerException.class, () -> queue().next(id, false, null));
        assertThrows(NullPointerException.class, () -> queue().enqueue(null, List.of(id)));
        assertThrows(NullPointerException.class, () -> queue().enqueue(command(T0), null));
        assertThrows(NullPointerException.class, () -> queue().report(null));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentEnqueueAndAcknowledgeOnDistinctChannelsLosesNoCommand() throws Exception {
        int threads = 8;
        int perThread = 25;
        List<EnrollmentId> ids = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ids.add(enrolledDevice());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                EnrollmentId id = ids.get(t);
                futures.add(pool.submit((Callable<List<String>>) () -> {
                    List<String> delivered = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        QueuedCommand c = command(at(i));
                        if (!queue().enqueue(c, List.of(id)).isEmpty()) {
                            throw new AssertionError("not queued for " + id);
                        }
                        if (i % 2 == 1) { // deliver and acknowledge two at a time
                            for (int k = 0; k < 2; k++) {
                                QueuedCommand next = queue().next(id, true, at(i)).orElseThrow();
                                queue().report(result(id, next.commandUuid(), CommandStatus.ACKNOWLEDGED, at(i)));
                                delivered.add(next.commandUuid());
                            }
                        }
                    }
                    queue().next(id, true, at(perThread)).ifPresent(next -> {
                        queue().report(result(id, next.commandUuid(), CommandStatus.ACKNOWLEDGED, at(perThread)));
                        delivered.add(next.commandUuid());
                    });
                    return delivered;
                }));
            }
            for (int t = 0; t < threads; t++) {
                List<String> delivered = futures.get(t).get();
                assertEquals(perThread, delivered.size(), "every command delivered once to " + ids.get(t));
                assertEquals(perThread, new HashSet<>(delivered).size());
                assertTrue(queue().pending(ids.get(t), at(1000)).isEmpty());
                assertEquals(perThread, queue().history(ids.get(t), 1000).stream()
                        .filter(r -> r.state() == CommandState.ACKNOWLEDGED).count());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentEnqueuesToOneChannelAreAllKeptInOrderOfEachEnqueuer() throws Exception {
        EnrollmentId id = enrolledDevice();
        int threads = 6;
        int perThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        QueuedCommand c = command(T0);
                        queue().enqueue(c, List.of(id));
                        mine.add(c.commandUuid());
                    }
                    return mine;
                }));
            }
            List<String> pending = queue().pending(id, at(1)).stream().map(QueuedCommand::commandUuid).toList();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                List<String> mine = f.get();
                all.addAll(mine);
            }
            pending = queue().pending(id, at(1)).stream().map(QueuedCommand::commandUuid).toList();
            assertEquals(threads * perThread, pending.size());
            assertEquals(new HashSet<>(all), new HashSet<>(pending));
            for (Future<List<String>> f : futures) {
                List<String> mine = f.get();
                List<String> inQueue = pending.stream().filter(mine::contains).toList();
                assertEquals(mine, inQueue, "one enqueuer's commands keep their order");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
