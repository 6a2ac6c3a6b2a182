package io.verger.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.BootstrapTokenStore;
import io.verger.api.storage.CommandQueue;
import io.verger.api.storage.CommandRecord;
import io.verger.api.storage.CommandResult;
import io.verger.api.storage.CommandState;
import io.verger.api.storage.DeviceFacts;
import io.verger.api.storage.Enrollment;
import io.verger.api.storage.EnrollmentFilter;
import io.verger.api.storage.EnrollmentStore;
import io.verger.api.storage.QueuedCommand;
import io.verger.api.storage.TokenUpdate;

/** Small, synchronized in-memory stores following the storage API's Javadoc, for the engine's unit tests. */
final class InMemoryStores {

    static final class Enrollments implements EnrollmentStore {
        final Map<EnrollmentId, Enrollment> map = new TreeMap<>();
        final Map<EnrollmentId, PushTarget> push = new HashMap<>();
        final Set<EnrollmentId> invalid = new HashSet<>();
        final Map<EnrollmentId, byte[]> unlock = new HashMap<>();

        @Override
        public synchronized void authenticate(EnrollmentId id, EnrollmentType type, DeviceFacts facts, Instant at) {
            if (id.isUserChannel()) {
                throw new IllegalArgumentException("user channel");
            }
            map.put(id, new Enrollment(id, type, false, false, null, null, at, at, facts, 0, null));
            push.remove(id);
            for (Enrollment e : userChannels(id)) {
                map.put(e.id(), with(e, false, e.tokenUpdates()));
            }
        }

        private static Enrollment with(Enrollment e, boolean enabled, long tokenUpdates) {
            return new Enrollment(e.id(), e.type(), enabled, e.awaitingConfiguration(), e.userShortName(), e.userLongName(),
                    e.enrolledAt(), e.lastSeenAt(), e.facts(), tokenUpdates, e.topic());
        }

        @Override
        public synchronized boolean tokenUpdate(TokenUpdate u) {
            EnrollmentId id = u.enrollmentId();
            Enrollment e = map.get(id);
            if (id.isUserChannel()) {
                Enrollment device = map.get(id.deviceChannel());
                if (device == null || !device.enabled()) {
                    throw new IllegalStateException("device channel of " + id + " not enabled");
                }
                if (e == null) {
                    e = new Enrollment(id, device.type(), false, false, null, null, u.receivedAt(), u.receivedAt(), device.facts(), 0, null);
                }
            } else if (e == null) {
                throw new IllegalStateException(id + " has not sent Authenticate");
            }
            boolean first = !e.enabled();
            map.put(id, new Enrollment(id, e.type(), true, u.awaitingConfiguration(), u.userShortName(), u.userLongName(),
                    e.enrolledAt(), u.receivedAt(), e.facts(), e.tokenUpdates() + 1, u.push().topic()));
            push.put(id, u.push());
            invalid.remove(id);
            if (u.unlockToken() != null) {
                unlock.put(id, u.unlockToken());
            }
            return first;
        }

        @Override
        public synchronized boolean disable(EnrollmentId id) {
            Enrollment e = map.get(id);
            if (e == null) {
                return false;
            }
            map.put(id, with(e, false, e.tokenUpdates()));
            if (!id.isUserChannel()) {
                for (Enrollment u : userChannels(id)) {
                    map.put(u.id(), with(u, false, u.tokenUpdates()));
                }
            }
            return e.enabled();
        }

        @Override
        public synchronized Optional<Enrollment> find(EnrollmentId id) {
            return Optional.ofNullable(map.get(id));
        }

        @Override
        public synchronized List<Enrollment> list(EnrollmentFilter filter, EnrollmentId after, int limit) {
            List<Enrollment> out = new ArrayList<>();
            for (Enrollment e : map.values()) {
                if (after != null && e.id().compareTo(after) <= 0) {
                    continue;
                }
                if (filter.enabled() != null && e.enabled() != filter.enabled()) {
                    continue;
                }
                if (filter.platform() != null && e.facts().platform().orElse(null) != filter.platform()) {
                    continue;
                }
                if (filter.deviceOnly() && e.id().isUserChannel()) {
                    continue;
                }
                out.add(e);
                if (out.size() == limit) {
                    break;
                }
            }
            return out;
        }

        @Override
        public synchronized long count(EnrollmentFilter filter) {
            return list(filter, null, Integer.MAX_VALUE).size();
        }

        @Override
        public synchronized List<Enrollment> userChannels(EnrollmentId device) {
            List<Enrollment> out = new ArrayList<>();
            for (Enrollment e : map.values()) {
                if (e.id().isUserChannel() && e.id().deviceId().equals(device.deviceId())) {
                    out.add(e);
                }
            }
            return out;
        }

        @Override
        public synchronized List<PushTarget> pushTargets(Collection<EnrollmentId> ids) {
            List<PushTarget> out = new ArrayList<>();
            for (EnrollmentId id : ids) {
                Enrollment e = map.get(id);
                if (e != null && e.enabled() && push.containsKey(id) && !invalid.contains(id)) {
                    out.add(push.get(id));
                }
            }
            return out;
        }

        @Override
        public synchronized boolean invalidateToken(EnrollmentId id, byte[] token) {
            PushTarget t = push.get(id);
            if (t != null && Arrays.equals(t.token(), token) && !invalid.contains(id)) {
                invalid.add(id);
                return true;
            }
            return false;
        }

        @Override
        public synchronized Optional<byte[]> unlockToken(EnrollmentId device) {
            return Optional.ofNullable(unlock.get(device));
        }

        @Override
        public synchronized void seen(EnrollmentId id, Instant at) {
            Enrollment e = map.get(id);
            if (e != null && at.isAfter(e.lastSeenAt())) {
                map.put(id, new Enrollment(e.id(), e.type(), e.enabled(), e.awaitingConfiguration(), e.userShortName(),
                        e.userLongName(), e.enrolledAt(), at, e.facts(), e.tokenUpdates(), e.topic()));
            }
        }
    }

    static final class Queue implements CommandQueue {
        private final Enrollments enrollments;
        private long seq;
        final Map<EnrollmentId, LinkedHashMap<String, Entry>> queues = new HashMap<>();

        Queue(Enrollments enrollments) {
            this.enrollments = enrollments;
        }

        static final class Entry {
            final QueuedCommand command;
            final long order;
            CommandState state = CommandState.QUEUED;
            Instant updatedAt;
            CommandResult result;

            Entry(QueuedCommand c, long order) {
                this.command = c;
                this.order = order;
                this.updatedAt = c.createdAt();
            }
        }

        @Override
        public synchronized Set<EnrollmentId> enqueue(QueuedCommand command, Collection<EnrollmentId> ids) {
            Set<EnrollmentId> refused = new HashSet<>();
            for (EnrollmentId id : ids) {
                Optional<Enrollment> e = enrollments.find(id);
                if (e.isEmpty() || !e.get().enabled()) {
                    refused.add(id);
                } else if (queues.getOrDefault(id, new LinkedHashMap<>()).containsKey(command.commandUuid())) {
                    throw new IllegalArgumentException(id + " already has " + command.commandUuid());
                }
            }
            for (EnrollmentId id : ids) {
                if (!refused.contains(id)) {
                    queues.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(command.commandUuid(), new Entry(command, seq++));
                }
            }
            return refused;
        }

        private List<Entry> pendingEntries(EnrollmentId id, Instant now) {
            List<Entry> out = new ArrayList<>();
            for (Entry e : queues.getOrDefault(id, new LinkedHashMap<>()).values()) {
                if (e.state.isPending() && !e.command.isExpired(now)) {
                    out.add(e);
                }
            }
            out.sort(Comparator.comparingInt((Entry e) -> -e.command.priority()).thenComparingLong(e -> e.order));
            return out;
        }

        @Override
        public synchronized Optional<QueuedCommand> next(EnrollmentId id, boolean skipNotNow, Instant now) {
            for (Entry e : pendingEntries(id, now)) {
                if (skipNotNow && e.state == CommandState.NOT_NOW) {
                    continue;
                }
                return Optional.of(e.command);
            }
            return Optional.empty();
        }

        @Override
        public synchronized List<QueuedCommand> pending(EnrollmentId id, Instant now) {
            List<QueuedCommand> out = new ArrayList<>();
            pendingEntries(id, now).forEach(e -> out.add(e.command));
            return out;
        }

        @Override
        public synchronized boolean report(CommandResult r) {
            Entry e = queues.getOrDefault(r.enrollmentId(), new LinkedHashMap<>()).get(r.commandUuid());
            if (e == null) {
                return false;
            }
            if (r.status().isFinal()) {
                e.state = CommandState.of(r.status());
                e.result = r;
                e.updatedAt = r.receivedAt();
            } else if (e.state.isPending()) {
                e.state = CommandState.NOT_NOW;
                e.result = r;
                e.updatedAt = r.receivedAt();
            }
            return true;
        }

        @Override
        public synchronized boolean cancel(EnrollmentId id, String uuid, Instant at) {
            Entry e = queues.getOrDefault(id, new LinkedHashMap<>()).get(uuid);
            if (e == null || !e.state.isPending()) {
                return false;
            }
            e.state = CommandState.CANCELLED;
            e.updatedAt = at;
            return true;
        }

        @Override
        public synchronized int clear(EnrollmentId id, Instant at) {
            int n = 0;
            for (Entry e : queues.getOrDefault(id, new LinkedHashMap<>()).values()) {
                if (e.state.isPending()) {
                    e.state = CommandState.CANCELLED;
                    e.updatedAt = at;
                    n++;
                }
            }
            return n;
        }

        @Override
        public synchronized Optional<CommandRecord> find(EnrollmentId id, String uuid) {
            Entry e = queues.getOrDefault(id, new LinkedHashMap<>()).get(uuid);
            return e == null ? Optional.empty() : Optional.of(new CommandRecord(id, e.command, e.state, e.updatedAt, e.result));
        }

        @Override
        public synchronized List<CommandRecord> history(EnrollmentId id, int limit) {
            List<Entry> all = new ArrayList<>(queues.getOrDefault(id, new LinkedHashMap<>()).values());
            all.sort(Comparator.comparingLong((Entry e) -> -e.order));
            List<CommandRecord> out = new ArrayList<>();
            for (Entry e : all.subList(0, Math.min(limit, all.size()))) {
                out.add(new CommandRecord(id, e.command, e.state, e.updatedAt, e.result));
            }
            return out;
        }

        @Override
        public synchronized int purge(Instant cutoff) {
            return 0;
        }
    }

    static final class BootstrapTokens implements BootstrapTokenStore {
        final Map<EnrollmentId, byte[]> tokens = new HashMap<>();

        @Override
        public synchronized void store(EnrollmentId id, byte[] token) {
            tokens.put(id, token.clone());
        }

        @Override
        public synchronized Optional<byte[]> find(EnrollmentId id) {
            return Optional.ofNullable(tokens.get(id)).map(byte[]::clone);
        }

        @Override
        public synchronized boolean delete(EnrollmentId id) {
            return tokens.remove(id) != null;
        }
    }

    private InMemoryStores() {
    }
}
