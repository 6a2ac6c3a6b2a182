package io.verger.storage.jpa.internal;

import io.verger.api.CommandStatus;
import io.verger.api.EnrollmentId;
import io.verger.api.ErrorChainEntry;
import io.verger.api.storage.CommandQueue;
import io.verger.api.storage.CommandRecord;
import io.verger.api.storage.CommandResult;
import io.verger.api.storage.CommandState;
import io.verger.api.storage.QueuedCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The command queue over JDBC. A command's payload is stored once per enqueue ({@code command}) and
 * referenced by one {@code command_queue} row per channel, which carries its state and latest
 * result. Delivery order is the row's identity {@code seq} within a priority. {@link #next} is one
 * indexed query; a report, cancel or expiry is one UPDATE of one row, so several nodes never need
 * to lock more than the row they change.
 */
@Component(service = CommandQueue.class)
public final class JdbcCommandQueue implements CommandQueue {

    // states and statuses are stored as their ordinals: the API may only add constants at the end
    private static final CommandState[] STATES = CommandState.values();
    private static final CommandStatus[] STATUSES = CommandStatus.values();

    static {
        if (!List.of(STATES).subList(0, 7).equals(List.of(CommandState.QUEUED, CommandState.NOT_NOW, CommandState.ACKNOWLEDGED,
                CommandState.ERROR, CommandState.COMMAND_FORMAT_ERROR, CommandState.CANCELLED, CommandState.EXPIRED))
                || !List.of(STATUSES).subList(0, 4).equals(List.of(CommandStatus.ACKNOWLEDGED, CommandStatus.ERROR,
                        CommandStatus.COMMAND_FORMAT_ERROR, CommandStatus.NOT_NOW))) {
            throw new IllegalStateException("io.verger.api reordered CommandState or CommandStatus: stored codes would change meaning");
        }
    }
    private static final short QUEUED = (short) CommandState.QUEUED.ordinal();
    private static final short NOT_NOW = (short) CommandState.NOT_NOW.ordinal();

    static {
        if (NOT_NOW != QUEUED + 1) {
            throw new ExceptionInInitializerError("next() probes the pending states as a range: QUEUED and NOT_NOW must be adjacent");
        }
    }
    private static final short CANCELLED = (short) CommandState.CANCELLED.ordinal();
    private static final short EXPIRED = (short) CommandState.EXPIRED.ordinal();
    /** NanoMDM-sized batches: a purge deletes at most this many rows per transaction */
    private static final int PURGE_BATCH = 1000;

    private static final String COMMAND_COLUMNS = "c.command_uuid, c.request_type, c.plist, c.priority, c.created_at, c.expires_at";
    private static final String NEXT = "SELECT " + COMMAND_COLUMNS + " FROM command_queue q JOIN command c ON c.cmd_id = q.cmd_id "
            + "WHERE q.device_id = ? AND q.user_key = ? AND q.state IN (?, ?) AND (q.expires_at IS NULL OR q.expires_at > ?) "
            + "ORDER BY q.priority DESC, q.seq";
    /** next(): the channel's pending rows, from the command_queue_next index (state 0 = QUEUED, 1 = NOT_NOW) */
    private static final String PENDING_PROBE = "SELECT q.seq, q.cmd_id, q.priority, q.expires_at FROM command_queue q "
            + "WHERE q.device_id = ? AND q.user_key = ? AND q.state BETWEEN ? AND ?";
    private static final String COMMAND_BY_ID = "SELECT " + COMMAND_COLUMNS + " FROM command c WHERE c.cmd_id = ?";
    private static final String RECORD = "SELECT " + COMMAND_COLUMNS + ", q.device_id, q.user_key, q.state, q.updated_at, "
            + "q.result_status, q.result_plist, q.result_errors, q.result_at FROM command_queue q JOIN command c ON c.cmd_id = q.cmd_id ";

    private final Database db;

    @Activate
    public JdbcCommandQueue(@Reference Database db) {
        this.db = db;
    }

    @Override
    public Set<EnrollmentId> enqueue(QueuedCommand command, Collection<EnrollmentId> ids) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(ids, "ids");
        Set<EnrollmentId> wanted = new LinkedHashSet<>(ids);
        wanted.forEach(id -> Objects.requireNonNull(id, "id"));
        if (wanted.isEmpty()) {
            return Set.of();
        }
        PendingHints hints = db.pendingHints();
        PendingHints.Enqueue hinted = hints == null ? null : hints.beforeEnqueue(wanted);
        Enqueued done = null;
        byte[] plist = command.plist(); // a copy: taken once
        try {
            done = enqueueInTransaction(command, plist, wanted);
            return done.refused();
        } catch (DuplicateCommand e) {
            throw new IllegalArgumentException(duplicateMessage(command.commandUuid(), e.accepted), e.getCause());
        } finally {
            if (hinted != null) {
                // after the commit: an "empty" seen by a query that raced the write no longer counts. Inside a joined
                // transaction (a report's handling) nothing is committed yet and may still be rolled back: bump only
                if (db.inJoin()) {
                    db.whenJoinEnds(() -> hinted.after(List.of(), command, plist.length, -1));
                } else {
                    hinted.after(done == null ? List.of() : done.accepted(), command, plist.length, done == null ? -1 : done.cmdId());
                }
            }
        }
    }

    /** What an enqueue did: the channels refused, those queued, and the new command's row (-1 if none). */
    private record Enqueued(Set<EnrollmentId> refused, List<EnrollmentId> accepted, long cmdId) {
    }

    private Enqueued enqueueInTransaction(QueuedCommand command, byte[] plist, Set<EnrollmentId> wanted) {
        return db.transaction("enqueueing " + command.commandUuid(), c -> {
            Set<EnrollmentId> refused = new LinkedHashSet<>(wanted);
            List<String> devices = wanted.stream().map(EnrollmentId::deviceId).distinct().sorted().toList();
            List<EnrollmentId> accepted = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id, user_key FROM enrollment WHERE enabled = TRUE "
                    + "AND device_id IN (" + JdbcEnrollmentStore.placeholders(JdbcEnrollmentStore.CHUNK) + ")")) {
                for (int from = 0; from < devices.size(); from += JdbcEnrollmentStore.CHUNK) {
                    JdbcEnrollmentStore.bindChunk(ps, 1, devices, from);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            EnrollmentId id = Columns.id(rs.getString(1), rs.getString(2));
                            if (refused.remove(id)) {
                                accepted.add(id);
                            }
                        }
                    }
                }
            }
            if (accepted.isEmpty()) {
                return new Enqueued(Collections.unmodifiableSet(refused), List.of(), -1);
            }
            long cmdId;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO command (command_uuid, request_type, plist, priority, "
                    + "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, command.commandUuid());
                ps.setString(2, command.requestType());
                ps.setBytes(3, plist);
                ps.setInt(4, command.priority());
                ps.setLong(5, Columns.nanos(command.createdAt()));
                setNullableLong(ps, 6, command.expiresAt() == null ? null : Columns.nanos(command.expiresAt()));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    cmdId = keys.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO command_queue (device_id, user_key, command_uuid, cmd_id, "
                    + "state, priority, expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (EnrollmentId id : accepted) {
                    ps.setString(1, id.deviceId());
                    ps.setString(2, Columns.userKey(id));
                    ps.setString(3, command.commandUuid());
                    ps.setLong(4, cmdId);
                    ps.setShort(5, QUEUED);
                    ps.setInt(6, command.priority());
                    setNullableLong(ps, 7, command.expiresAt() == null ? null : Columns.nanos(command.expiresAt()));
                    ps.setLong(8, Columns.nanos(command.createdAt()));
                    if (accepted.size() == 1) {
                        ps.executeUpdate();
                    } else {
                        ps.addBatch();
                    }
                }
                if (accepted.size() > 1) {
                    ps.executeBatch();
                }
            } catch (SQLException e) {
                if (Dialect.isDuplicateKey(e)) { // the channel's unique (channel, CommandUUID): the whole batch rolls back
                    throw new DuplicateCommand(accepted, e);
                }
                throw e;
            }
            return new Enqueued(Collections.unmodifiableSet(refused), accepted, cmdId);
        });
    }

    /**
     * A channel already had the CommandUUID: raised inside the transaction, so that it rolls back, and turned into the
     * caller's {@link IllegalArgumentException} after it. The unique key is the check: a query for the UUID before
     * the insert had no index to use and scanned the whole queue on every enqueue.
     */
    private static final class DuplicateCommand extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<EnrollmentId> accepted;

        DuplicateCommand(List<EnrollmentId> accepted, SQLException cause) {
            super(cause.getMessage(), cause, false, false);
            this.accepted = accepted;
        }
    }

    /** Names the channels that have {@code uuid} (an indexed probe of each, on the error path only). */
    private String duplicateMessage(String uuid, List<EnrollmentId> accepted) {
        List<EnrollmentId> having;
        try {
            having = db.query("finding the channels that have " + uuid, c -> {
                List<EnrollmentId> found = new ArrayList<>();
                for (EnrollmentId id : accepted) {
                    if (exists(c, id, uuid)) {
                        found.add(id);
                    }
                }
                return found;
            });
        } catch (RuntimeException e) {
            having = List.of();
        }
        if (having.isEmpty()) { // queued concurrently, and gone again, or the lookup failed
            return "command " + uuid + " is already queued for one of " + accepted + "; nothing was queued";
        }
        return (having.size() == 1 ? "channel " + having.get(0) + " already has" : "channels " + having + " already have")
                + " a command " + uuid + "; nothing was queued";
    }

    private static void setNullableLong(PreparedStatement ps, int i, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, value);
        }
    }

    @Override
    public Optional<QueuedCommand> next(EnrollmentId id, boolean skipNotNow, Instant now) {
        Objects.requireNonNull(id, "id");
        long t = Columns.nanos(now);
        PendingHints hints = db.pendingHints();
        PendingHints.Hint hint = hints == null ? null : hints.hint(id);
        long epoch = hint == null ? 0 : hint.epoch();
        if (hint != null && hint.knownEmpty(epoch)) {
            return Optional.empty();
        }
        if (hint != null && !skipNotNow) {
            QueuedCommand sole = hints.sole(hint, epoch, now);
            if (sole != null) {
                return Optional.of(sole);
            }
        }
        return db.query("reading the next command of " + id, c -> {
            // Two short queries instead of a join with a sort: the common answer (an idle device, nothing pending) costs
            // one index range probe on one table; the channel's few pending rows are ordered here.
            for (int attempt = 0; attempt < 3; attempt++) {
                long cmdId = -1;
                int bestPriority = 0;
                long bestSeq = 0;
                int candidates = 0;
                try (PreparedStatement ps = c.prepareStatement(PENDING_PROBE)) {
                    ps.setString(1, id.deviceId());
                    ps.setString(2, Columns.userKey(id));
                    ps.setShort(3, QUEUED);
                    ps.setShort(4, skipNotNow ? QUEUED : NOT_NOW);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long expires = rs.getLong(4);
                            if (!rs.wasNull() && expires <= t) {
                                continue;
                            }
                            candidates++;
                            long seq = rs.getLong(1);
                            int priority = rs.getInt(3);
                            if (cmdId < 0 || priority > bestPriority || (priority == bestPriority && seq < bestSeq)) {
                                cmdId = rs.getLong(2);
                                bestPriority = priority;
                                bestSeq = seq;
                            }
                        }
                    }
                }
                if (cmdId < 0) {
                    if (hint != null && !skipNotNow) {
                        hint.recordEmpty(epoch);
                    }
                    return Optional.empty();
                }
                try (PreparedStatement ps = c.prepareStatement(COMMAND_BY_ID)) {
                    ps.setLong(1, cmdId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            byte[] plist = rs.getBytes(3);
                            QueuedCommand command = readCommand(rs, plist);
                            if (hint != null && !skipNotNow && candidates == 1) {
                                hints.remember(cmdId, command, plist.length);
                                hint.recordSole(epoch, command.commandUuid(), cmdId);
                            }
                            return Optional.of(command);
                        }
                    }
                }
                // purged between the two queries: look again
            }
            return Optional.empty();
        });
    }

    private static void bindNext(PreparedStatement ps, EnrollmentId id, boolean skipNotNow, long now) throws SQLException {
        ps.setString(1, id.deviceId());
        ps.setString(2, Columns.userKey(id));
        ps.setShort(3, QUEUED);
        ps.setShort(4, skipNotNow ? QUEUED : NOT_NOW);
        ps.setLong(5, now);
    }

    @Override
    public List<QueuedCommand> pending(EnrollmentId id, Instant now) {
        Objects.requireNonNull(id, "id");
        long t = Columns.nanos(now);
        return db.query("listing the pending commands of " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(NEXT)) {
                bindNext(ps, id, false, t);
                List<QueuedCommand> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(readCommand(rs));
                    }
                }
                return Collections.unmodifiableList(out);
            }
        });
    }

    private static QueuedCommand readCommand(ResultSet rs) throws SQLException {
        return readCommand(rs, rs.getBytes(3));
    }

    private static QueuedCommand readCommand(ResultSet rs, byte[] plist) throws SQLException {
        long expires = rs.getLong(6);
        Instant expiresAt = rs.wasNull() ? null : Columns.instant(expires);
        return new QueuedCommand(rs.getString(1), rs.getString(2), plist, rs.getInt(4), Columns.instant(rs.getLong(5)), expiresAt);
    }

    @Override
    public boolean report(CommandResult result) {
        return report(result, null);
    }

    /**
     * On embedded Derby the handling joins the report's transaction: an acknowledged DeviceInformation then makes one
     * durable commit (the result and the merged inventory), not two.
     */
    @Override
    public boolean report(CommandResult result, java.util.function.Consumer<Boolean> handling) {
        Objects.requireNonNull(result, "result");
        EnrollmentId id = result.enrollmentId();
        long at = Columns.nanos(result.receivedAt());
        byte[] errors = result.errorChain().isEmpty() ? null : encodeErrors(result.errorChain());
        boolean notNow = result.status() == CommandStatus.NOT_NOW;
        String what = "storing the " + result.status().appleName() + " report of " + id + " on " + result.commandUuid();
        Database.SqlWork<Boolean> store = c -> {
            String sql = "UPDATE command_queue SET state = ?, updated_at = ?, result_status = ?, result_plist = ?, "
                    + "result_errors = ?, result_at = ? WHERE device_id = ? AND user_key = ? AND command_uuid = ?"
                    // NotNow changes a pending command only; an expired one is no longer pending
                    + (notNow ? " AND state IN (?, ?) AND (expires_at IS NULL OR expires_at > ?)" : "");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setShort(1, (short) CommandState.of(result.status()).ordinal());
                ps.setLong(2, at);
                ps.setShort(3, (short) result.status().ordinal());
                ps.setBytes(4, result.plist());
                ps.setBytes(5, errors); // null as bytes: a BLOB in Derby, a bytea in PostgreSQL
                ps.setLong(6, at);
                ps.setString(7, id.deviceId());
                ps.setString(8, Columns.userKey(id));
                ps.setString(9, result.commandUuid());
                if (notNow) {
                    ps.setShort(10, QUEUED);
                    ps.setShort(11, NOT_NOW);
                    ps.setLong(12, at);
                }
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            return notNow && exists(c, id, result.commandUuid());
        };
        PendingHints hints = db.pendingHints();
        boolean stored;
        try {
            stored = handling == null ? db.query(what, store) : db.joined(what, store, handling::accept);
        } catch (RuntimeException | Error e) {
            if (hints != null) {
                hints.bump(List.of(id)); // the handling threw after the report was stored, or the report failed
            }
            throw e;
        }
        if (stored && !notNow && hints != null) {
            // after the commit (a command the handling enqueued to this channel has bumped its hints by now, so the
            // channel is not taken for empty)
            hints.hint(id).completed(result.commandUuid());
        }
        return stored;
    }

    private static boolean exists(Connection c, EnrollmentId id, String uuid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM command_queue WHERE device_id = ? AND user_key = ? AND command_uuid = ?")) {
            ps.setString(1, id.deviceId());
            ps.setString(2, Columns.userKey(id));
            ps.setString(3, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static byte[] encodeErrors(List<ErrorChainEntry> chain) {
        List<Object> items = new ArrayList<>(chain.size());
        for (ErrorChainEntry e : chain) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ErrorCode", e.code());
            m.put("ErrorDomain", e.domain());
            m.put("LocalizedDescription", e.localizedDescription());
            if (e.usEnglishDescription() != null) {
                m.put("USEnglishDescription", e.usEnglishDescription());
            }
            items.add(m);
        }
        return PlistValues.encode(Map.of("ErrorChain", items));
    }

    private static List<ErrorChainEntry> decodeErrors(byte[] data) {
        if (data == null) {
            return List.of();
        }
        return ErrorChainEntry.fromPlist((List<?>) PlistValues.decode(data).get("ErrorChain"));
    }

    @Override
    public boolean cancel(EnrollmentId id, String commandUuid, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(commandUuid, "commandUuid");
        long t = Columns.nanos(at);
        return removingPending(List.of(id), () -> db.query("cancelling " + commandUuid + " of " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE command_queue SET state = ?, updated_at = ? "
                    + "WHERE device_id = ? AND user_key = ? AND command_uuid = ? AND state IN (?, ?) "
                    + "AND (expires_at IS NULL OR expires_at > ?)")) {
                ps.setShort(1, CANCELLED);
                ps.setLong(2, t);
                ps.setString(3, id.deviceId());
                ps.setString(4, Columns.userKey(id));
                ps.setString(5, commandUuid);
                ps.setShort(6, QUEUED);
                ps.setShort(7, NOT_NOW);
                ps.setLong(8, t);
                return ps.executeUpdate() == 1;
            }
        }));
    }

    /**
     * Runs a write that removes pending commands of these channels: bumps their hints before and after, so that a sole
     * pending command the hints remember is not answered once it is gone (a known "empty" is forgotten too; the next
     * lookup learns it again).
     */
    private <T> T removingPending(Collection<EnrollmentId> ids, java.util.function.Supplier<T> write) {
        PendingHints hints = db.pendingHints();
        if (hints != null) {
            hints.bump(ids);
        }
        try {
            return write.get();
        } finally {
            if (hints != null) {
                List<EnrollmentId> bumped = List.copyOf(ids);
                db.whenJoinEnds(() -> hints.bump(bumped)); // after the commit, also when a report's handling wrote this
            }
        }
    }

    @Override
    public int clear(EnrollmentId id, Instant at) {
        Objects.requireNonNull(id, "id");
        long t = Columns.nanos(at);
        return removingPending(List.of(id), () -> db.query("clearing the queue of " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE command_queue SET state = ?, updated_at = ? "
                    + "WHERE device_id = ? AND user_key = ? AND state IN (?, ?) AND (expires_at IS NULL OR expires_at > ?)")) {
                ps.setShort(1, CANCELLED);
                ps.setLong(2, t);
                ps.setString(3, id.deviceId());
                ps.setString(4, Columns.userKey(id));
                ps.setShort(5, QUEUED);
                ps.setShort(6, NOT_NOW);
                ps.setLong(7, t);
                return ps.executeUpdate();
            }
        }));
    }

    @Override
    public Optional<CommandRecord> find(EnrollmentId id, String commandUuid) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(commandUuid, "commandUuid");
        Instant now = Instant.now();
        return db.query("finding " + commandUuid + " of " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(RECORD + "WHERE q.device_id = ? AND q.user_key = ? AND q.command_uuid = ?")) {
                ps.setString(1, id.deviceId());
                ps.setString(2, Columns.userKey(id));
                ps.setString(3, commandUuid);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readRecord(rs, now)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<CommandRecord> history(EnrollmentId id, int limit) {
        Objects.requireNonNull(id, "id");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        Instant now = Instant.now();
        return db.query("reading the command history of " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(RECORD + "WHERE q.device_id = ? AND q.user_key = ? ORDER BY q.seq DESC "
                    + "FETCH FIRST " + limit + " ROWS ONLY")) {
                ps.setString(1, id.deviceId());
                ps.setString(2, Columns.userKey(id));
                List<CommandRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(readRecord(rs, now));
                    }
                }
                return Collections.unmodifiableList(out);
            }
        });
    }

    /** A pending command past its expiry reads as EXPIRED, changed at its expiry. */
    private static CommandRecord readRecord(ResultSet rs, Instant now) throws SQLException {
        QueuedCommand command = readCommand(rs);
        EnrollmentId id = Columns.id(rs.getString(7), rs.getString(8));
        CommandState state = STATES[rs.getShort(9)];
        Instant updatedAt = Columns.instant(rs.getLong(10));
        if (state.isPending() && command.isExpired(now)) {
            state = CommandState.EXPIRED;
            updatedAt = command.expiresAt();
        }
        CommandResult result = null;
        short status = rs.getShort(11);
        if (!rs.wasNull()) {
            result = new CommandResult(id, command.commandUuid(), STATUSES[status], rs.getBytes(12), decodeErrors(rs.getBytes(13)),
                    Columns.instant(rs.getLong(14)));
        }
        return new CommandRecord(id, command, state, updatedAt, result);
    }

    /**
     * Marks pending commands past their expiry as {@link CommandState#EXPIRED} (changed at their
     * expiry), so the pending index stays small.
     *
     * @return how many were marked
     */
    int markExpired(Instant now) {
        long t = Columns.nanos(now);
        return db.query("marking expired commands", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE command_queue SET state = ?, updated_at = expires_at "
                    + "WHERE expires_at <= ? AND state IN (?, ?)")) {
                ps.setShort(1, EXPIRED);
                ps.setLong(2, t);
                ps.setShort(3, QUEUED);
                ps.setShort(4, NOT_NOW);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int purge(Instant cutoff) {
        long t = Columns.nanos(cutoff);
        int total = 0;
        while (true) {
            int deleted = db.transaction("purging command history before " + cutoff, c -> purgeBatch(c, t));
            total += deleted;
            if (deleted < PURGE_BATCH) {
                return total;
            }
        }
    }

    private int purgeBatch(Connection c, long cutoff) throws SQLException {
        // finished before the cutoff, or expired before it (whatever state was recorded)
        String select = "SELECT seq, cmd_id FROM command_queue WHERE (state NOT IN (?, ?) AND updated_at < ?) "
                + "OR (state IN (?, ?) AND expires_at < ?) FETCH FIRST " + PURGE_BATCH + " ROWS ONLY"
                + (db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "");
        List<long[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setShort(1, QUEUED);
            ps.setShort(2, NOT_NOW);
            ps.setLong(3, cutoff);
            ps.setShort(4, QUEUED);
            ps.setShort(5, NOT_NOW);
            ps.setLong(6, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        int deleted = 0;
        Map<Long, Boolean> commands = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM command_queue WHERE seq = ?")) {
            for (long[] row : rows) {
                ps.setLong(1, row[0]);
                ps.addBatch();
                commands.put(row[1], true);
            }
            for (int n : ps.executeBatch()) {
                deleted += n == Statement.SUCCESS_NO_INFO ? 1 : n;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM command WHERE cmd_id = ? AND NOT EXISTS (SELECT 1 FROM command_queue q WHERE q.cmd_id = ?)")) {
            for (Long cmdId : commands.keySet()) {
                ps.setLong(1, cmdId);
                ps.setLong(2, cmdId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return deleted;
    }
}
