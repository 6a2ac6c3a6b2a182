package io.verger.api.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One saved revision of a policy, as it was saved: an entry of the policy's version history.
 *
 * @param policyId    the policy's id
 * @param revision    the revision the save gave it; 1 or more
 * @param name        the policy's name at that revision
 * @param payloadType the {@code PayloadType} of its module
 * @param settings    its settings at that revision, plain-Java plist values
 * @param savedAt     when it was saved (the policy's {@link Policy#updatedAt()})
 */
public record PolicyRevision(String policyId, long revision, String name, String payloadType,
        Map<String, Object> settings, Instant savedAt) {

    /**
     * @throws NullPointerException     if a component is {@code null}
     * @throws IllegalArgumentException if {@code revision} is less than 1
     */
    public PolicyRevision {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(name, "name of revision " + revision + " of policy " + policyId);
        Objects.requireNonNull(payloadType, "payloadType of revision " + revision + " of policy " + policyId);
        Objects.requireNonNull(savedAt, "savedAt of revision " + revision + " of policy " + policyId);
        if (revision < 1) {
            throw new IllegalArgumentException("revision of a saved policy " + policyId + " must be 1 or more, not " + revision);
        }
        settings = Map.copyOf(settings);
    }

    /**
     * @param saved a policy as {@link PolicyStore#save} returned it
     * @return its revision
     */
    public static PolicyRevision of(Policy saved) {
        return new PolicyRevision(saved.id(), saved.revision(), saved.name(), saved.payloadType(), saved.settings(), saved.updatedAt());
    }
}
