package io.verger.api.storage;

import io.verger.api.EnrollmentId;
import org.osgi.annotation.versioning.ProviderType;

import java.util.Collection;
import java.util.List;

/**
 * What the policy engine keeps next to the {@link PolicyStore}: device groups and their members,
 * each policy's {@link PolicyTargets} (all devices, groups, filter), and each policy's version
 * history. It shares the policies of the {@link PolicyStore} of the same storage: a policy's targets
 * and revisions are deleted with the policy ({@link PolicyStore#delete}).
 *
 * <p>A group name, like a policy id, is 1 to 255 characters without whitespace or control characters;
 * methods given another name throw {@link IllegalArgumentException} naming it.
 */
// Provider type: implemented by the storage bundle and called by the policy engine; it may gain
// methods in a minor version, which only storage implementations must follow.
@ProviderType
public interface PolicyTargetStore {

    // ---- device groups ----------------------------------------------------------------------------

    /**
     * Creates an empty device group.
     *
     * @param name the group's name
     * @return {@code true} if it was created; {@code false} if a group of that name exists (it is kept
     *         as it is)
     */
    boolean createGroup(String name);

    /**
     * Deletes a group with its memberships. Policy targets that name it keep the name.
     *
     * @param name a group name
     * @return {@code true} if it existed
     */
    boolean deleteGroup(String name);

    /**
     * @param name a group name
     * @return {@code true} if the group exists
     */
    boolean groupExists(String name);

    /** @return the names of all groups, in name order */
    List<String> groups();

    /**
     * Adds members to a group; adding a member twice changes nothing.
     *
     * @param group the group
     * @param ids   the channels to add
     * @throws IllegalArgumentException if the group does not exist; the message names it
     */
    void addMembers(String group, Collection<EnrollmentId> ids);

    /**
     * Removes members from a group; ids that are not members, and groups that do not exist, are ignored.
     *
     * @param group the group
     * @param ids   the channels to remove
     */
    void removeMembers(String group, Collection<EnrollmentId> ids);

    /**
     * @param group a group name
     * @return its members in {@link EnrollmentId} order; empty if the group does not exist
     */
    List<EnrollmentId> members(String group);

    /**
     * @param id a channel
     * @return the names of the groups it is a member of, in name order
     */
    List<String> groupsOf(EnrollmentId id);

    // ---- policy targets ---------------------------------------------------------------------------

    /**
     * Replaces where a policy applies (besides its channels assigned with {@link PolicyStore#assign}).
     *
     * @param policyId the policy
     * @param targets  its targets; {@link PolicyTargets#NONE} for none
     * @throws IllegalArgumentException if the policy does not exist; the message names it
     */
    void setTargets(String policyId, PolicyTargets targets);

    /**
     * @param policyId a policy
     * @return its targets; {@link PolicyTargets#NONE} if they were never set or the policy does not exist
     */
    PolicyTargets targets(String policyId);

    // ---- version history --------------------------------------------------------------------------

    /**
     * Appends a saved revision to its policy's history.
     *
     * @param revision the revision, usually {@link PolicyRevision#of} the policy {@link PolicyStore#save}
     *                 returned
     * @return {@code true} if it was recorded; {@code false} if that revision of the policy is recorded
     *         already (the recorded one is kept)
     * @throws IllegalArgumentException if the policy does not exist; the message names it
     */
    boolean appendRevision(PolicyRevision revision);

    /**
     * @param policyId a policy
     * @return its recorded revisions, oldest first; empty if the policy does not exist
     */
    List<PolicyRevision> revisions(String policyId);
}
