package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.QueuedCommand;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * <p>A query that found exactly one pending command records it as the sole one at its epoch; so does an enqueue into a
 * channel that was known to be empty, at the epoch of its second bump, if no other write bumped the channel in between.
 * While the epoch is unchanged, an Idle's lookup answers the sole command from the small cache of command bodies below,
 * without a query. Writes that remove pending commands bump the epoch too (cancel, clear; a completion bumps and then,
 * if it completed the sole command, records the channel empty at its new epoch), so a sole command is never answered
 * after it is gone. So a device that is given its only command and acknowledges it needs no query to get it, nor to
 * learn that nothing follows.
 */
final class PendingHints {

    static final int LIMIT = 200_000;

    /** One channel's hint; a reader keeps the object it started with, so a dropped and rebuilt hint is never confused. */
    static final class Hint {
        private final AtomicLong epoch = new AtomicLong();
        private volatile long emptyAt = -1;
        private volatile Sole sole;

        private record Sole(long epoch, String commandUuid, long cmdId) {
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

        /** The query that started at {@code epoch} found this command (row {@code cmdId}), unexpired, and nothing else pending. */
        void recordSole(long epoch, String commandUuid, long cmdId) {
            sole = new Sole(epoch, commandUuid, cmdId);
        }

        /** @return the command row of the sole pending command as of {@code epoch} (queued or NotNow'd), or -1 if unknown */
        long soleCommand(long epoch) {
            Sole s = sole;
            return s != null && s.epoch() == epoch && emptyAt != epoch ? s.cmdId() : -1;
        }

        /**
         * The channel's command {@code commandUuid} is completed (committed): the pending set changed, so the epoch moves
         * on; if it was the sole pending one, none is pending at the new epoch.
         */
        void completed(String commandUuid) {
            Sole s = sole;
            long now = epoch.incrementAndGet();
            if (s != null && s.epoch() == now - 1 && s.commandUuid().equals(commandUuid)) {
                recordEmpty(now);
            }
        }
    }

    /** An enqueue in progress: each target channel's hint, its epoch after the first bump, and whether it was empty. */
    final class Enqueue {
        private final List<EnrollmentId> ids;
        private final Hint[] targets;
        private final long[] epochs;
        private final boolean[] wasEmpty;

        private Enqueue(Collection<EnrollmentId> ids) {
            this.ids = new ArrayList<>(ids);
            this.targets = new Hint[this.ids.size()];
            this.epochs = new long[targets.length];
            this.wasEmpty = new boolean[targets.length];
            for (int i = 0; i < targets.length; i++) {
                Hint h = hint(this.ids.get(i));
                long before = h.epoch.get();
                boolean empty = h.knownEmpty(before);
                long now = h.epoch.incrementAndGet();
                targets[i] = h;
                epochs[i] = now;
                wasEmpty[i] = empty && now == before + 1;
            }
        }

        /**
         * After the enqueue committed (or failed: {@code accepted} empty): bumps every target again, and records
         * {@code command} (row {@code cmdId}, a plist of {@code plistBytes}) as the sole pending command of each accepted channel that was empty before
         * and that no other write touched meanwhile.
         */
        void after(Collection<EnrollmentId> accepted, QueuedCommand command, int plistBytes, long cmdId) {
            Set<EnrollmentId> queued = accepted.isEmpty() ? Set.of() : new HashSet<>(accepted);
            if (!queued.isEmpty()) {
                remember(cmdId, command, plistBytes);
            }
            for (int i = 0; i < targets.length; i++) {
                long post = targets[i].epoch.incrementAndGet();
                if (wasEmpty[i] && post == epochs[i] + 1 && queued.contains(ids.get(i))) {
                    targets[i].recordSole(post, command.commandUuid(), cmdId);
                }
            }
        }
    }

    /** Command bodies by row, for answering a sole pending command without a query. Bounded by count and size. */
    static final int COMMANDS_LIMIT = 128;
    static final int COMMAND_MAX_BYTES = 32 * 1024; // at most 4 MB of heap in all
    private final ConcurrentHashMap<Long, QueuedCommand> commands = new ConcurrentHashMap<>();

    /** @param plistBytes the length of the command's plist (which {@code command.plist()} would copy to tell) */
    void remember(long cmdId, QueuedCommand command, int plistBytes) {
        if (cmdId < 0 || plistBytes > COMMAND_MAX_BYTES) {
            return;
        }
        if (commands.size() >= COMMANDS_LIMIT && !commands.containsKey(cmdId)) {
            commands.clear();
        }
        commands.put(cmdId, command);
    }

    /**
     * @return the sole pending command of a channel as of {@code epoch}, from the cache, if it is known, cached and
     *         unexpired at {@code now}; otherwise null (ask the database)
     */
    QueuedCommand sole(Hint hint, long epoch, Instant now) {
        long cmdId = hint.soleCommand(epoch);
        if (cmdId < 0) {
            return null;
        }
        QueuedCommand command = commands.get(cmdId);
        return command != null && !command.isExpired(now) ? command : null;
    }

    /** Before an enqueue to these channels: bumps each; {@link Enqueue#after} bumps again when it is done. */
    Enqueue beforeEnqueue(Collection<EnrollmentId> ids) {
        return new Enqueue(ids);
    }

    private final ConcurrentHashMap<EnrollmentId, Hint> hints = new ConcurrentHashMap<>();

    /** Before and after a write that changes the pending commands of these channels other than by an enqueue. */
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
