package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.PolicyRevision;
import io.verger.api.storage.PolicyTargetStore;
import io.verger.api.storage.PolicyTargets;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Device groups, policy targets and policy history over JDBC. A change to a group's members or to a
 * policy's targets first rewrites the group's or policy's own row to itself: that row lock, held to
 * the commit, makes concurrent changes of the same group or policy take turns in both databases.
 * Targets and revisions reference the policy table with {@code ON DELETE CASCADE}, so they go with
 * their policy.
 */
@Component(service = PolicyTargetStore.class)
public final class JdbcPolicyTargetStore implements PolicyTargetStore {

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final Database db;

    @Activate
    public JdbcPolicyTargetStore(@Reference Database db) {
        this.db = db;
    }

    // ---- device groups ----------------------------------------------------------------------------

    @Override
    public boolean createGroup(String name) {
        requireName(name);
        long now = Columns.nanos(Instant.now());
        return db.query("creating device group " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_group (name, created_at) VALUES (?, ?)")) {
                ps.setString(1, name);
                ps.setLong(2, now);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (Dialect.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public boolean deleteGroup(String name) {
        requireName(name);
        return db.query("deleting device group " + name, c -> {
            // the members go by ON DELETE CASCADE, in the same statement
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM device_group WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean groupExists(String name) {
        requireName(name);
        return db.query("reading device group " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM device_group WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public List<String> groups() {
        return db.query("listing device groups", c -> strings(c, "SELECT name FROM device_group ORDER BY name"));
    }

    @Override
    public void addMembers(String group, Collection<EnrollmentId> ids) {
        requireName(group);
        Set<EnrollmentId> wanted = channels(ids);
        db.transaction("adding members to device group " + group, c -> {
            if (!lockGroup(c, group)) {
                throw new IllegalArgumentException("device group " + group + " does not exist");
            }
            Set<EnrollmentId> existing = new HashSet<>(members(c, group));
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO device_group_member (group_name, device_id, user_key) VALUES (?, ?, ?)")) {
                for (EnrollmentId id : wanted) {
                    if (!existing.contains(id)) {
                        ps.setString(1, group);
                        ps.setString(2, id.deviceId());
                        ps.setString(3, Columns.userKey(id));
                        ps.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    @Override
    public void removeMembers(String group, Collection<EnrollmentId> ids) {
        requireName(group);
        Set<EnrollmentId> unwanted = channels(ids);
        if (unwanted.isEmpty()) {
            return;
        }
        db.transaction("removing members from device group " + group, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM device_group_member WHERE group_name = ? AND device_id = ? AND user_key = ?")) {
                for (EnrollmentId id : unwanted) {
                    ps.setString(1, group);
                    ps.setString(2, id.deviceId());
                    ps.setString(3, Columns.userKey(id));
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<EnrollmentId> members(String group) {
        requireName(group);
        return db.query("listing the members of device group " + group, c -> members(c, group));
    }

    private static List<EnrollmentId> members(Connection c, String group) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT device_id, user_key FROM device_group_member WHERE group_name = ? ORDER BY device_id, user_key")) {
            ps.setString(1, group);
            try (ResultSet rs = ps.executeQuery()) {
                List<EnrollmentId> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(Columns.id(rs.getString(1), rs.getString(2)));
                }
                return out;
            }
        }
    }

    @Override
    public List<String> groupsOf(EnrollmentId id) {
        Objects.requireNonNull(id, "id");
        return db.query("listing the device groups of " + id, c -> strings(c,
                "SELECT group_name FROM device_group_member WHERE device_id = ? AND user_key = ? ORDER BY group_name",
                id.deviceId(), Columns.userKey(id)));
    }

    /** @return {@code true} if the group exists, now locked until the transaction ends */
    private static boolean lockGroup(Connection c, String group) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE device_group SET created_at = created_at WHERE name = ?")) {
            ps.setString(1, group);
            return ps.executeUpdate() > 0;
        }
    }

    // ---- policy targets ---------------------------------------------------------------------------

    @Override
    public void setTargets(String policyId, PolicyTargets targets) {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(targets, "targets of policy " + policyId);
        db.transaction("setting the targets of policy " + policyId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE policy SET revision = revision WHERE id = ?")) {
                ps.setString(1, policyId);
                if (ps.executeUpdate() == 0) {
                    throw new IllegalArgumentException("policy " + policyId + " does not exist");
                }
            }
            // its groups go by ON DELETE CASCADE
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM policy_target WHERE policy_id = ?")) {
                ps.setString(1, policyId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO policy_target (policy_id, all_devices, platform, min_os_version, tag) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, policyId);
                ps.setBoolean(2, targets.all());
                setNullable(ps, 3, targets.platform());
                setNullable(ps, 4, targets.minOsVersion());
                setNullable(ps, 5, targets.tag());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO policy_target_group (policy_id, list_index, group_name) VALUES (?, ?, ?)")) {
                int i = 0;
                for (String group : targets.groups()) {
                    ps.setString(1, policyId);
                    ps.setInt(2, i++);
                    ps.setString(3, group);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public PolicyTargets targets(String policyId) {
        Objects.requireNonNull(policyId, "policyId");
        return db.transaction("reading the targets of policy " + policyId, c -> {
            boolean all;
            String platform;
            String minOsVersion;
            String tag;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT all_devices, platform, min_os_version, tag FROM policy_target WHERE policy_id = ?")) {
                ps.setString(1, policyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return PolicyTargets.NONE;
                    }
                    all = rs.getBoolean(1);
                    platform = rs.getString(2);
                    minOsVersion = rs.getString(3);
                    tag = rs.getString(4);
                }
            }
            List<String> groups = strings(c, "SELECT group_name FROM policy_target_group WHERE policy_id = ? ORDER BY list_index", policyId);
            return new PolicyTargets(all, groups, platform, minOsVersion, tag);
        });
    }

    // ---- version history --------------------------------------------------------------------------

    @Override
    public boolean appendRevision(PolicyRevision revision) {
        Objects.requireNonNull(revision, "revision");
        byte[] settings = PlistValues.encode(revision.settings());
        long savedAt = Columns.nanos(revision.savedAt());
        return db.query("recording revision " + revision.revision() + " of policy " + revision.policyId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO policy_revision "
                    + "(policy_id, revision, name, payload_type, settings, saved_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, revision.policyId());
                ps.setLong(2, revision.revision());
                ps.setString(3, revision.name());
                ps.setString(4, revision.payloadType());
                ps.setBytes(5, settings);
                ps.setLong(6, savedAt);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (Dialect.isDuplicateKey(e)) {
                    return false;
                }
                if (isForeignKeyViolation(e)) {
                    throw new IllegalArgumentException("policy " + revision.policyId() + " does not exist", e);
                }
                throw e;
            }
        });
    }

    @Override
    public List<PolicyRevision> revisions(String policyId) {
        Objects.requireNonNull(policyId, "policyId");
        return db.query("listing the revisions of policy " + policyId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT revision, name, payload_type, settings, saved_at "
                    + "FROM policy_revision WHERE policy_id = ? ORDER BY revision")) {
                ps.setString(1, policyId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<PolicyRevision> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new PolicyRevision(policyId, rs.getLong(1), rs.getString(2), rs.getString(3),
                                PlistValues.decode(rs.getBytes(4)), Columns.instant(rs.getLong(5))));
                    }
                    return out;
                }
            }
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static void requireName(String name) {
        Objects.requireNonNull(name, "group name");
        if (name.isEmpty() || name.length() > 255
                || name.chars().anyMatch(ch -> Character.isWhitespace(ch) || Character.isISOControl(ch))) {
            throw new IllegalArgumentException("device group name must be 1 to 255 characters without whitespace or control characters: '"
                    + name + "'");
        }
    }

    private static Set<EnrollmentId> channels(Collection<EnrollmentId> ids) {
        Objects.requireNonNull(ids, "ids");
        Set<EnrollmentId> out = new LinkedHashSet<>();
        for (EnrollmentId id : ids) {
            out.add(Objects.requireNonNull(id, "enrollment id"));
        }
        return out;
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    private static List<String> strings(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        }
    }

    private static boolean isForeignKeyViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && FOREIGN_KEY_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
