package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.Policy;
import io.verger.api.storage.PolicyStore;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Policies as JPA entities with optimistic revisions; their assignments and installations are
 * plain tables reached by native queries in the same transaction. Reads are plain JDBC.
 */
@Component(service = PolicyStore.class)
public final class JpaPolicyStore implements PolicyStore {

    private final Database db;

    @Activate
    public JpaPolicyStore(@Reference Database db) {
        this.db = db;
    }

    @Override
    public Policy save(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        byte[] settings = PlistValues.encode(policy.settings());
        long updatedAt = Columns.nanos(policy.updatedAt());
        long next = policy.revision() + 1;
        db.jpa("saving policy " + policy.id(), em -> {
            if (policy.revision() == 0) {
                if (em.find(PolicyEntity.class, policy.id()) != null) {
                    throw new IllegalStateException("policy " + policy.id() + " already exists (revision "
                            + storedRevision(em, policy.id()) + "); save its stored revision instead of revision 0");
                }
                PolicyEntity e = new PolicyEntity(policy.id());
                e.name = policy.name();
                e.payloadType = policy.payloadType();
                e.settings = settings;
                e.revision = 1;
                e.updatedAt = updatedAt;
                try {
                    em.persist(e);
                    em.flush();
                } catch (PersistenceException raced) {
                    throw new IllegalStateException("policy " + policy.id() + " was created meanwhile by someone else", raced);
                }
                return null;
            }
            int updated = em.createQuery("UPDATE PolicyEntity p SET p.name = :name, p.payloadType = :type, p.settings = :settings, "
                    + "p.revision = :next, p.updatedAt = :at WHERE p.id = :id AND p.revision = :revision")
                    .setParameter("name", policy.name()).setParameter("type", policy.payloadType())
                    .setParameter("settings", settings).setParameter("next", next).setParameter("at", updatedAt)
                    .setParameter("id", policy.id()).setParameter("revision", policy.revision()).executeUpdate();
            if (updated == 0) {
                throw new IllegalStateException("policy " + policy.id() + " is at revision " + storedRevision(em, policy.id())
                        + ", not at the given revision " + policy.revision() + " (saved meanwhile by someone else?)");
            }
            return null;
        });
        return new Policy(policy.id(), policy.name(), policy.payloadType(), policy.settings(), next, policy.updatedAt());
    }

    private static String storedRevision(EntityManager em, String id) {
        List<Long> r = em.createQuery("SELECT p.revision FROM PolicyEntity p WHERE p.id = :id", Long.class)
                .setParameter("id", id).getResultList();
        return r.isEmpty() ? "none (not stored)" : String.valueOf(r.get(0));
    }

    /** The columns {@link #read(ResultSet)} reads, in its order. */
    private static final String COLUMNS = "p.id, p.name, p.payload_type, p.settings, p.revision, p.updated_at";

    private static Policy read(ResultSet rs) throws SQLException {
        return new Policy(rs.getString(1), rs.getString(2), rs.getString(3), PlistValues.decode(rs.getBytes(4)), rs.getLong(5),
                Columns.instant(rs.getLong(6)));
    }

    // Reads are plain JDBC: a device's enrollment reconciles it, and EclipseLink's query machinery cost more than the
    // queries themselves. Writes stay with JPA (optimistic revisions).

    @Override
    public Optional<Policy> find(String id) {
        Objects.requireNonNull(id, "id");
        return db.query("reading policy " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM policy p WHERE p.id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Policy> list() {
        return db.query("listing policies", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM policy p ORDER BY p.id")) {
                return readAll(ps);
            }
        });
    }

    private static List<Policy> readAll(PreparedStatement ps) throws SQLException {
        List<Policy> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public boolean delete(String id) {
        Objects.requireNonNull(id, "id");
        return db.jpa("deleting policy " + id, em -> {
            em.createNativeQuery("DELETE FROM policy_assignment WHERE policy_id = ?1").setParameter(1, id).executeUpdate();
            em.createNativeQuery("DELETE FROM policy_install WHERE policy_id = ?1").setParameter(1, id).executeUpdate();
            return em.createQuery("DELETE FROM PolicyEntity p WHERE p.id = :id").setParameter("id", id).executeUpdate() > 0;
        });
    }

    @Override
    public void assign(String policyId, Collection<EnrollmentId> ids) {
        Objects.requireNonNull(policyId, "policyId");
        Set<EnrollmentId> wanted = new HashSet<>(ids);
        db.jpa("assigning policy " + policyId, em -> {
            if (em.find(PolicyEntity.class, policyId) == null) {
                throw new IllegalArgumentException("policy " + policyId + " does not exist");
            }
            Set<EnrollmentId> existing = new HashSet<>(assignees(em, policyId));
            for (EnrollmentId id : wanted) {
                if (!existing.contains(id)) {
                    em.createNativeQuery("INSERT INTO policy_assignment (policy_id, device_id, user_key) VALUES (?1, ?2, ?3)")
                            .setParameter(1, policyId).setParameter(2, id.deviceId()).setParameter(3, Columns.userKey(id))
                            .executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public void unassign(String policyId, Collection<EnrollmentId> ids) {
        Objects.requireNonNull(policyId, "policyId");
        Set<EnrollmentId> unwanted = new HashSet<>(ids);
        db.jpa("unassigning policy " + policyId, em -> {
            for (EnrollmentId id : unwanted) {
                em.createNativeQuery("DELETE FROM policy_assignment WHERE policy_id = ?1 AND device_id = ?2 AND user_key = ?3")
                        .setParameter(1, policyId).setParameter(2, id.deviceId()).setParameter(3, Columns.userKey(id))
                        .executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Policy> assignedTo(EnrollmentId id) {
        Objects.requireNonNull(id, "id");
        return db.query("listing the policies of " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM policy p JOIN policy_assignment a "
                    + "ON a.policy_id = p.id WHERE a.device_id = ? AND a.user_key = ? ORDER BY p.id")) {
                ps.setString(1, id.deviceId());
                ps.setString(2, Columns.userKey(id));
                return readAll(ps);
            }
        });
    }

    @Override
    public List<EnrollmentId> assignees(String policyId) {
        Objects.requireNonNull(policyId, "policyId");
        return db.jpa("listing the assignees of policy " + policyId, em -> assignees(em, policyId));
    }

    @SuppressWarnings("unchecked")
    private static List<EnrollmentId> assignees(EntityManager em, String policyId) {
        List<Object[]> rows = em.createNativeQuery("SELECT device_id, user_key FROM policy_assignment WHERE policy_id = ?1 "
                + "ORDER BY device_id, user_key").setParameter(1, policyId).getResultList();
        return rows.stream().map(r -> Columns.id((String) r[0], (String) r[1])).toList();
    }

    @Override
    public void markInstalled(EnrollmentId id, String policyId, long revision) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(policyId, "policyId");
        db.jpa("recording policy " + policyId + " installed on " + id, em -> {
            int updated = em.createNativeQuery("UPDATE policy_install SET revision = ?1 WHERE device_id = ?2 AND user_key = ?3 AND policy_id = ?4")
                    .setParameter(1, revision).setParameter(2, id.deviceId()).setParameter(3, Columns.userKey(id))
                    .setParameter(4, policyId).executeUpdate();
            if (updated == 0) {
                em.createNativeQuery("INSERT INTO policy_install (device_id, user_key, policy_id, revision) VALUES (?1, ?2, ?3, ?4)")
                        .setParameter(1, id.deviceId()).setParameter(2, Columns.userKey(id)).setParameter(3, policyId)
                        .setParameter(4, revision).executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void markRemoved(EnrollmentId id, String policyId) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(policyId, "policyId");
        db.jpa("recording policy " + policyId + " removed from " + id, em -> em
                .createNativeQuery("DELETE FROM policy_install WHERE device_id = ?1 AND user_key = ?2 AND policy_id = ?3")
                .setParameter(1, id.deviceId()).setParameter(2, Columns.userKey(id)).setParameter(3, policyId).executeUpdate());
    }

    @Override
    public Map<String, Long> installed(EnrollmentId id) {
        Objects.requireNonNull(id, "id");
        return db.query("listing the policies installed on " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT policy_id, revision FROM policy_install WHERE device_id = ? AND user_key = ? ORDER BY policy_id")) {
                ps.setString(1, id.deviceId());
                ps.setString(2, Columns.userKey(id));
                Map<String, Long> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return Collections.unmodifiableMap(out);
            }
        });
    }
}
