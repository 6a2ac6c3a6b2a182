package io.verger.policy.engine.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.Policy;
import io.verger.api.storage.PolicyStore;

/**
 * The engine's own records, kept in the {@link PolicyStore} next to the policies so that they live in the shared
 * database (every node sees them) without a schema change: a device group is a record whose assignees are its
 * members, a policy's targets (all, groups, filter) and each saved revision (version history) are records with the
 * data in their settings. Their ids contain {@code ':'}, which a policy id never does, and their PayloadTypes start
 * with {@code io.verger.engine.}, so {@link #isPolicy(Policy)} tells them apart.
 */
final class EngineRecords {

    /** Ids of policies and names of groups: what an identifier and an APNs-free URL path can carry as is. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final String GROUP = "verger:group:";
    private static final String TARGETS = "verger:targets:";
    private static final String HISTORY = "verger:history:";
    private static final String TYPE_GROUP = "io.verger.engine.group";
    private static final String TYPE_TARGETS = "io.verger.engine.targets";
    private static final String TYPE_HISTORY = "io.verger.engine.history";

    private final PolicyStore store;

    EngineRecords(PolicyStore store) {
        this.store = store;
    }

    PolicyStore store() {
        return store;
    }

    static boolean isPolicy(Policy p) {
        return p.id().indexOf(':') < 0;
    }

    List<Policy> policies() {
        return store.list().stream().filter(EngineRecords::isPolicy).toList();
    }

    Optional<Policy> policy(String id) {
        return NAME.matcher(id).matches() ? store.find(id) : Optional.empty();
    }

    // ---- groups -------------------------------------------------------------------------------------------

    List<String> groups() {
        return store.list().stream().filter(p -> p.id().startsWith(GROUP)).map(p -> p.id().substring(GROUP.length())).toList();
    }

    boolean groupExists(String name) {
        return store.find(GROUP + name).isPresent();
    }

    void createGroup(String name) {
        store.save(new Policy(GROUP + name, name, TYPE_GROUP, Map.of(), 0, Instant.now()));
    }

    boolean deleteGroup(String name) {
        return store.delete(GROUP + name);
    }

    List<EnrollmentId> members(String group) {
        return store.assignees(GROUP + group);
    }

    void addMembers(String group, List<EnrollmentId> ids) {
        store.assign(GROUP + group, ids);
    }

    void removeMembers(String group, List<EnrollmentId> ids) {
        store.unassign(GROUP + group, ids);
    }

    /** @return the groups a channel is a member of */
    List<String> groupsOf(EnrollmentId id) {
        return store.assignedTo(id).stream().filter(p -> p.id().startsWith(GROUP)).map(p -> p.id().substring(GROUP.length())).toList();
    }

    /** @return the real policies assigned to a channel directly */
    List<Policy> directlyAssigned(EnrollmentId id) {
        return store.assignedTo(id).stream().filter(EngineRecords::isPolicy).toList();
    }

    // ---- targets ------------------------------------------------------------------------------------------

    Targets targets(String policyId) {
        return store.find(TARGETS + policyId).map(p -> Targets.fromSettings(p.settings())).orElse(Targets.NONE);
    }

    void setTargets(String policyId, Targets targets) {
        Optional<Policy> old = store.find(TARGETS + policyId);
        store.save(new Policy(TARGETS + policyId, policyId, TYPE_TARGETS, targets.toSettings(),
                old.map(Policy::revision).orElse(0L), Instant.now()));
    }

    // ---- history ------------------------------------------------------------------------------------------

    void recordRevision(Policy saved) {
        store.save(new Policy(HISTORY + saved.id() + ":" + saved.revision(), saved.name(), TYPE_HISTORY,
                Map.of("payloadType", saved.payloadType(), "settings", saved.settings(),
                        "updatedAt", saved.updatedAt().toString()), 0, Instant.now()));
    }

    List<Policy> history(String policyId) {
        List<Policy> out = new ArrayList<>();
        String prefix = HISTORY + policyId + ":";
        for (Policy p : store.list()) {
            if (p.id().startsWith(prefix)) {
                out.add(p);
            }
        }
        out.sort((a, b) -> Long.compare(revisionOf(a), revisionOf(b)));
        return out;
    }

    static long revisionOf(Policy historyRecord) {
        String id = historyRecord.id();
        return Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
    }

    void deleteAll(String policyId) {
        store.delete(TARGETS + policyId);
        for (Policy h : history(policyId)) {
            store.delete(h.id());
        }
        store.delete(policyId);
    }
}
