package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.Platform;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.DeviceFacts;
import io.verger.api.storage.Enrollment;
import io.verger.api.storage.EnrollmentFilter;
import io.verger.api.storage.EnrollmentStore;
import io.verger.api.storage.TokenUpdate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Enrollments over JDBC: every check-in and connect touches them, so each call is one or two indexed statements. */
@Component(service = EnrollmentStore.class)
public final class JdbcEnrollmentStore implements EnrollmentStore {

    static final String COLUMNS = "device_id, user_key, enrollment_type, enabled, awaiting_configuration, user_short_name, "
            + "user_long_name, enrolled_at, last_seen_at, serial_number, model, model_name, product_name, os_version, "
            + "build_version, device_name, imei, meid, facts_topic, token_updates, topic";
    private static final String FACTS_SET = "serial_number = ?, model = ?, model_name = ?, product_name = ?, os_version = ?, "
            + "build_version = ?, device_name = ?, imei = ?, meid = ?, facts_topic = ?, platform = ?";
    /** how many ids one IN list carries; always padded to this size so the statement is prepared once */
    static final int CHUNK = 64;

    private final Database db;

    @Activate
    public JdbcEnrollmentStore(@Reference Database db) {
        this.db = db;
    }

    private static String secretContext(EnrollmentId id) {
        return "unlock-token/" + id.deviceId();
    }

    @Override
    public void authenticate(EnrollmentId deviceChannel, EnrollmentType type, DeviceFacts facts, Instant at) {
        Columns.requireDeviceChannel(deviceChannel, "Authenticate");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(facts, "facts");
        long now = Columns.nanos(at);
        db.transaction("Authenticate of " + deviceChannel, c -> {
            int updated;
            try (PreparedStatement ps = c.prepareStatement("UPDATE enrollment SET enrollment_type = ?, enabled = FALSE, "
                    + "awaiting_configuration = FALSE, enrolled_at = ?, "
                    + "last_seen_at = CASE WHEN last_seen_at < ? THEN ? ELSE last_seen_at END, token_updates = 0, topic = NULL, "
                    + "push_token = NULL, push_magic = NULL, token_valid = FALSE, " + FACTS_SET
                    + " WHERE device_id = ? AND user_key = ''")) {
                int i = 1;
                ps.setString(i++, type.name());
                ps.setLong(i++, now);
                ps.setLong(i++, now);
                ps.setLong(i++, now);
                i = setFacts(ps, i, facts);
                ps.setString(i, deviceChannel.deviceId());
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO enrollment (device_id, user_key, enrollment_type, "
                        + "enabled, awaiting_configuration, enrolled_at, last_seen_at, token_updates, token_valid, serial_number, "
                        + "model, model_name, product_name, os_version, build_version, device_name, imei, meid, facts_topic, platform) "
                        + "VALUES (?, '', ?, FALSE, FALSE, ?, ?, 0, FALSE, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, deviceChannel.deviceId());
                    ps.setString(2, type.name());
                    ps.setLong(3, now);
                    ps.setLong(4, now);
                    setFacts(ps, 5, facts);
                    ps.executeUpdate();
                }
            }
            // the device re-enrolled: its users enroll again with their next TokenUpdate
            try (PreparedStatement ps = c.prepareStatement("UPDATE enrollment SET enabled = FALSE, token_updates = 0, "
                    + "enrollment_type = ?, " + FACTS_SET + " WHERE device_id = ? AND user_key <> ''")) {
                ps.setString(1, type.name());
                int i = setFacts(ps, 2, facts);
                ps.setString(i, deviceChannel.deviceId());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static int setFacts(PreparedStatement ps, int i, DeviceFacts f) throws SQLException {
        ps.setString(i++, f.serialNumber());
        ps.setString(i++, f.model());
        ps.setString(i++, f.modelName());
        ps.setString(i++, f.productName());
        ps.setString(i++, f.osVersion());
        ps.setString(i++, f.buildVersion());
        ps.setString(i++, f.deviceName());
        ps.setString(i++, f.imei());
        ps.setString(i++, f.meid());
        ps.setString(i++, f.topic());
        ps.setString(i++, f.platform().map(Platform::name).orElse(null));
        return i;
    }

    @Override
    public boolean tokenUpdate(TokenUpdate update) {
        Objects.requireNonNull(update, "update");
        EnrollmentId id = update.enrollmentId();
        PushTarget push = update.push();
        long now = Columns.nanos(update.receivedAt());
        byte[] unlock = update.unlockToken();
        byte[] sealedUnlock = unlock == null || id.isUserChannel() ? null : db.secrets().seal(unlock, secretContext(id));
        return db.transaction("TokenUpdate of " + id, c -> {
            if (id.isUserChannel()) {
                ensureUserChannel(c, id, update, now);
            }
            // a channel that was not enabled enrolls now: its count restarts, a user channel's enrolledAt too
            String set = "SET push_token = ?, push_magic = ?, topic = ?, token_valid = TRUE, awaiting_configuration = ?, "
                    + "last_seen_at = CASE WHEN last_seen_at < ? THEN ? ELSE last_seen_at END"
                    + (sealedUnlock != null ? ", unlock_token = ?" : "")
                    + (id.isUserChannel() ? ", user_short_name = ?, user_long_name = ?" : "");
            int enrolled = update(c, "UPDATE enrollment " + set + ", enabled = TRUE, token_updates = token_updates + 1"
                    + (id.isUserChannel() ? ", enrolled_at = CASE WHEN token_updates = 0 THEN ? ELSE enrolled_at END" : "")
                    + " WHERE device_id = ? AND user_key = ? AND enabled = FALSE", id, push, update, now, sealedUnlock, true);
            if (enrolled == 1) {
                return true;
            }
            int refreshed = update(c, "UPDATE enrollment " + set + ", token_updates = token_updates + 1"
                    + " WHERE device_id = ? AND user_key = ? AND enabled = TRUE", id, push, update, now, sealedUnlock, false);
            if (refreshed == 1) {
                return false;
            }
            throw new IllegalStateException("TokenUpdate of " + id + " before its Authenticate: the device channel "
                    + id.deviceChannel() + " is not enrolled");
        });
    }

    private static int update(Connection c, String sql, EnrollmentId id, PushTarget push, TokenUpdate update, long now,
            byte[] sealedUnlock, boolean enrolling) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setBytes(i++, push.token());
            ps.setString(i++, push.pushMagic());
            ps.setString(i++, push.topic());
            ps.setBoolean(i++, update.awaitingConfiguration());
            ps.setLong(i++, now);
            ps.setLong(i++, now);
            if (sealedUnlock != null) {
                ps.setBytes(i++, sealedUnlock);
            }
            if (id.isUserChannel()) {
                ps.setString(i++, update.userShortName());
                ps.setString(i++, update.userLongName());
                if (enrolling) {
                    ps.setLong(i++, now);
                }
            }
            ps.setString(i++, id.deviceId());
            ps.setString(i, Columns.userKey(id));
            return ps.executeUpdate();
        }
    }

    /** Creates a user channel at its first TokenUpdate, with its device's type and facts. */
    private static void ensureUserChannel(Connection c, EnrollmentId user, TokenUpdate update, long now) throws SQLException {
        boolean deviceEnabled = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT enabled FROM enrollment WHERE device_id = ? AND user_key = ''")) {
            ps.setString(1, user.deviceId());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    deviceEnabled = rs.getBoolean(1);
                }
            }
        }
        if (!deviceEnabled) {
            throw new IllegalStateException("TokenUpdate of user channel " + user + ": its device channel "
                    + user.deviceChannel() + " is not enrolled (no Authenticate and TokenUpdate, or checked out)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO enrollment (device_id, user_key, enrollment_type, enabled, "
                + "awaiting_configuration, user_short_name, user_long_name, enrolled_at, last_seen_at, token_updates, token_valid, "
                + "serial_number, model, model_name, product_name, os_version, build_version, device_name, imei, meid, facts_topic, platform) "
                + "SELECT device_id, CAST(? AS VARCHAR(255)), enrollment_type, FALSE, FALSE, CAST(? AS VARCHAR(1024)), "
                + "CAST(? AS VARCHAR(1024)), CAST(? AS BIGINT), CAST(? AS BIGINT), 0, FALSE, serial_number, model, model_name, "
                + "product_name, os_version, build_version, device_name, imei, meid, facts_topic, platform FROM enrollment d "
                + "WHERE d.device_id = ? AND d.user_key = '' AND NOT EXISTS "
                + "(SELECT 1 FROM enrollment u WHERE u.device_id = ? AND u.user_key = ?)")) {
            ps.setString(1, user.userId());
            ps.setString(2, update.userShortName());
            ps.setString(3, update.userLongName());
            ps.setLong(4, now);
            ps.setLong(5, now);
            ps.setString(6, user.deviceId());
            ps.setString(7, user.deviceId());
            ps.setString(8, user.userId());
            ps.executeUpdate();
        }
    }

    @Override
    public boolean disable(EnrollmentId id) {
        Objects.requireNonNull(id, "id");
        return db.transaction("disabling " + id, c -> {
            int changed;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE enrollment SET enabled = FALSE WHERE device_id = ? AND user_key = ? AND enabled = TRUE")) {
                ps.setString(1, id.deviceId());
                ps.setString(2, Columns.userKey(id));
                changed = ps.executeUpdate();
            }
            if (!id.isUserChannel()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE enrollment SET enabled = FALSE WHERE device_id = ? AND user_key <> '' AND enabled = TRUE")) {
                    ps.setString(1, id.deviceId());
                    ps.executeUpdate();
                }
            }
            return changed == 1;
        });
    }

    @Override
    public Optional<Enrollment> find(EnrollmentId id) {
        Objects.requireNonNull(id, "id");
        return db.query("finding enrollment " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM enrollment WHERE device_id = ? AND user_key = ?")) {
                ps.setString(1, id.deviceId());
                ps.setString(2, Columns.userKey(id));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    static Enrollment read(ResultSet rs) throws SQLException {
        EnrollmentId id = Columns.id(rs.getString(1), rs.getString(2));
        DeviceFacts facts = new DeviceFacts(rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
                rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19));
        return new Enrollment(id, EnrollmentType.valueOf(rs.getString(3)), rs.getBoolean(4), rs.getBoolean(5),
                rs.getString(6), rs.getString(7), Columns.instant(rs.getLong(8)), Columns.instant(rs.getLong(9)), facts,
                rs.getLong(20), rs.getString(21));
    }

    @Override
    public List<Enrollment> list(EnrollmentFilter filter, EnrollmentId after, int limit) {
        Objects.requireNonNull(filter, "filter");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        List<Object> args = new ArrayList<>();
        StringBuilder where = where(filter, args);
        if (after != null) {
            where.append(" AND (device_id > ? OR (device_id = ? AND user_key > ?))");
            args.add(after.deviceId());
            args.add(after.deviceId());
            args.add(Columns.userKey(after));
        }
        String sql = "SELECT " + COLUMNS + " FROM enrollment WHERE " + where + " ORDER BY device_id, user_key FETCH FIRST "
                + limit + " ROWS ONLY";
        return db.query("listing enrollments", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                List<Enrollment> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return Collections.unmodifiableList(out);
            }
        });
    }

    @Override
    public long count(EnrollmentFilter filter) {
        Objects.requireNonNull(filter, "filter");
        List<Object> args = new ArrayList<>();
        String sql = "SELECT COUNT(*) FROM enrollment WHERE " + where(filter, args);
        return db.query("counting enrollments", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static StringBuilder where(EnrollmentFilter f, List<Object> args) {
        StringBuilder w = new StringBuilder("1 = 1");
        if (f.enabled() != null) {
            w.append(" AND enabled = ?");
            args.add(f.enabled());
        }
        if (f.platform() != null) {
            w.append(" AND platform = ?");
            args.add(f.platform().name());
        }
        if (f.seenSince() != null) {
            w.append(" AND last_seen_at >= ?");
            args.add(Columns.nanos(f.seenSince()));
        }
        if (f.seenBefore() != null) {
            w.append(" AND last_seen_at < ?");
            args.add(Columns.nanos(f.seenBefore()));
        }
        if (f.deviceOnly()) {
            w.append(" AND user_key = ''");
        }
        return w;
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }

    @Override
    public List<Enrollment> userChannels(EnrollmentId deviceChannel) {
        Objects.requireNonNull(deviceChannel, "deviceChannel");
        return db.query("listing user channels of " + deviceChannel, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM enrollment WHERE device_id = ? AND user_key <> '' ORDER BY user_key")) {
                ps.setString(1, deviceChannel.deviceId());
                List<Enrollment> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return Collections.unmodifiableList(out);
            }
        });
    }

    @Override
    public List<PushTarget> pushTargets(Collection<EnrollmentId> ids) {
        Objects.requireNonNull(ids, "ids");
        Set<EnrollmentId> wanted = new HashSet<>(ids);
        if (wanted.isEmpty()) {
            return List.of();
        }
        List<String> devices = wanted.stream().map(EnrollmentId::deviceId).distinct().sorted().toList();
        return db.query("looking up push targets", c -> {
            List<PushTarget> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id, user_key, push_token, push_magic, topic FROM enrollment "
                    + "WHERE enabled = TRUE AND token_valid = TRUE AND device_id IN (" + placeholders(CHUNK) + ")")) {
                for (int from = 0; from < devices.size(); from += CHUNK) {
                    bindChunk(ps, 1, devices, from);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            EnrollmentId id = Columns.id(rs.getString(1), rs.getString(2));
                            byte[] token = rs.getBytes(3);
                            if (wanted.contains(id) && token != null && token.length > 0) {
                                out.add(new PushTarget(id, token, rs.getString(4), rs.getString(5)));
                            }
                        }
                    }
                }
            }
            return Collections.unmodifiableList(out);
        });
    }

    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** Binds CHUNK values from {@code from}, repeating the last to fill the list. */
    static void bindChunk(PreparedStatement ps, int first, List<String> values, int from) throws SQLException {
        int to = Math.min(values.size(), from + CHUNK);
        for (int i = 0; i < CHUNK; i++) {
            ps.setString(first + i, values.get(Math.min(from + i, to - 1)));
        }
    }

    @Override
    public boolean invalidateToken(EnrollmentId id, byte[] token) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(token, "token");
        return db.query("invalidating the push token of " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT push_token FROM enrollment WHERE device_id = ? AND user_key = ?")) {
                ps.setString(1, id.deviceId());
                ps.setString(2, Columns.userKey(id));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !Arrays.equals(rs.getBytes(1), token)) {
                        return false;
                    }
                }
            }
            // compare again in the update: a TokenUpdate may have refreshed it meanwhile
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE enrollment SET token_valid = FALSE WHERE device_id = ? AND user_key = ? AND push_token = ?")) {
                ps.setString(1, id.deviceId());
                ps.setString(2, Columns.userKey(id));
                ps.setBytes(3, token);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<byte[]> unlockToken(EnrollmentId deviceChannel) {
        Objects.requireNonNull(deviceChannel, "deviceChannel");
        byte[] sealed = db.query("reading the unlock token of " + deviceChannel, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT unlock_token FROM enrollment WHERE device_id = ? AND user_key = ''")) {
                ps.setString(1, deviceChannel.deviceId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
        return sealed == null ? Optional.empty() : Optional.of(db.secrets().open(sealed, secretContext(deviceChannel)));
    }

    /**
     * Moves last-seen forward. The condition is in the SET, not the WHERE: with a range predicate on last_seen_at, a
     * PostgreSQL without statistics (autovacuum off, never analyzed) planned the update as a scan of the
     * enrollment_last_seen index over the whole fleet instead of a primary-key lookup.
     */
    private static final String SEEN = "UPDATE enrollment SET last_seen_at = CASE WHEN last_seen_at < ? THEN ? ELSE last_seen_at END "
            + "WHERE device_id = ? AND user_key = ?";

    @Override
    public void seen(Map<EnrollmentId, Instant> lastSeen) {
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (lastSeen.isEmpty()) {
            return;
        }
        // one transaction, rows locked in key order (as Authenticate locks a device's rows: device channel first), so
        // that concurrent batches and check-ins cannot deadlock
        List<Map.Entry<EnrollmentId, Instant>> rows = new ArrayList<>(lastSeen.entrySet());
        rows.sort(Map.Entry.comparingByKey(Comparator.comparing(EnrollmentId::deviceId).thenComparing(Columns::userKey)));
        db.transaction("recording that " + rows.size() + " channels were seen", c -> {
            try (PreparedStatement ps = c.prepareStatement(SEEN)) {
                for (Map.Entry<EnrollmentId, Instant> row : rows) {
                    long t = Columns.nanos(row.getValue());
                    ps.setLong(1, t);
                    ps.setLong(2, t);
                    ps.setString(3, row.getKey().deviceId());
                    ps.setString(4, Columns.userKey(row.getKey()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void seen(EnrollmentId id, Instant at) {
        Objects.requireNonNull(id, "id");
        long now = Columns.nanos(at);
        db.query("recording that " + id + " was seen", c -> {
            try (PreparedStatement ps = c.prepareStatement(SEEN)) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setString(3, id.deviceId());
                ps.setString(4, Columns.userKey(id));
                return ps.executeUpdate();
            }
        });
    }
}
