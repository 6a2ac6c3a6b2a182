package io.verger.api.storage;

import io.verger.api.EnrollmentId;
import org.osgi.annotation.versioning.ProviderType;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Policies, their assignments to enrollments, and which revision of each is installed where, so the
 * engine can install what is missing or outdated and remove what is no longer assigned.
 */
// Provider type: implemented by the storage bundle and called by core, API and console; it may gain
// methods in a minor version, which only storage implementations must follow.
@ProviderType
public interface PolicyStore {

    /**
     * Creates or updates a policy, with optimistic concurrency: a policy of revision 0 is created, a
     * policy of revision n replaces the stored revision n.
     *
     * @param policy the policy
     * @return the stored policy, whose revision is one more than the given one
     * @throws IllegalStateException if a policy of revision 0 already exists, or the stored revision
     *                               is not the given one (someone else saved it meanwhile); the
     *                               message names the policy and both revisions
     */
    Policy save(Policy policy);

    /**
     * @param id a policy id
     * @return the policy, or empty
     */
    Optional<Policy> find(String id);

    /** @return all policies in id order */
    List<Policy> list();

    /**
     * Deletes a policy with its assignments and installation records.
     *
     * @param id a policy id
     * @return {@code true} if it existed
     */
    boolean delete(String id);

    /**
     * Assigns a policy to channels; assigning twice changes nothing.
     *
     * @param policyId the policy
     * @param ids      the channels (device channels for device-wide payloads, user channels for a
     *                 user's)
     * @throws IllegalArgumentException if the policy does not exist; the message names it
     */
    void assign(String policyId, Collection<EnrollmentId> ids);

    /**
     * Removes assignments; ids that were not assigned are ignored.
     *
     * @param policyId the policy
     * @param ids      the channels
     */
    void unassign(String policyId, Collection<EnrollmentId> ids);

    /**
     * @param id a channel
     * @return the policies assigned to it, in id order
     */
    List<Policy> assignedTo(EnrollmentId id);

    /**
     * @param policyId a policy
     * @return the channels it is assigned to, in {@link EnrollmentId} order
     */
    List<EnrollmentId> assignees(String policyId);

    /**
     * Records that a revision of a policy was installed on a channel (the device acknowledged its
     * {@code InstallProfile}).
     *
     * @param id       the channel
     * @param policyId the policy
     * @param revision the installed revision
     */
    void markInstalled(EnrollmentId id, String policyId, long revision);

    /**
     * Records that a policy's profile was removed from a channel.
     *
     * @param id       the channel
     * @param policyId the policy
     */
    void markRemoved(EnrollmentId id, String policyId);

    /**
     * @param id a channel
     * @return the policies installed on it, by id, with their installed revision
     */
    Map<String, Long> installed(EnrollmentId id);
}
