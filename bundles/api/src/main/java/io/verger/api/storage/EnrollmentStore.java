package io.verger.api.storage;

import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.push.PushTarget;
import org.osgi.annotation.versioning.ProviderType;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Enrollments and what the check-in messages tell about them: NanoMDM's check-in store and push
 * store in one.
 */
// Provider type: implemented by the storage bundle and called by many (core, API, console, plugins);
// it may gain methods in a minor version, which only storage implementations must follow.
@ProviderType
public interface EnrollmentStore {

    /**
     * Records an {@code Authenticate}: a device channel enrolls or re-enrolls. Creates the
     * enrollment, or resets an existing one: {@code type} and {@code enrolledAt} are replaced, it is
     * not enabled until its {@code TokenUpdate}, its push data is dropped (the device sends new), and
     * every user channel of the device is disabled. The command queue, inventory, certificate
     * bindings and bootstrap token are left alone (the core decides about them).
     *
     * @param deviceChannel the device channel ({@code UDID}, or {@code EnrollmentID} for a User Enrollment)
     * @param type          how the device enrolled
     * @param facts         what the device said about itself (replaces what was stored)
     * @param at            when the message was received
     * @throws IllegalArgumentException if {@code deviceChannel} is a user channel
     */
    void authenticate(EnrollmentId deviceChannel, EnrollmentType type, DeviceFacts facts, Instant at);

    /**
     * Records a {@code TokenUpdate}: stores the channel's push data, enables it, and for the device
     * channel keeps the unlock token if the message carries one. A user channel is created at its
     * first {@code TokenUpdate}, with the type of its device. Every call counts one more
     * {@link Enrollment#tokenUpdates()} for the channel (reset to 1 by the first one after an
     * {@code Authenticate}).
     *
     * @param update the message's data
     * @return {@code true} if the channel was not enabled before (it has just enrolled), {@code false}
     *         for a token refresh of an enabled channel
     * @throws IllegalStateException if the device channel has not sent {@code Authenticate}, or for a
     *                               user channel, if its device channel is not enabled; the message
     *                               names the channel
     */
    boolean tokenUpdate(TokenUpdate update);

    /**
     * Disables a channel ({@code CheckOut}, or an administrator unenrolling it); disabling a device
     * channel disables all its user channels too. The enrollment's data is kept for history; a new
     * {@code Authenticate} enables the device again.
     *
     * @param id the channel
     * @return {@code true} if a channel was enabled and is now disabled
     */
    boolean disable(EnrollmentId id);

    /**
     * @param id a channel
     * @return the enrollment, enabled or not, or empty if the channel never enrolled
     */
    Optional<Enrollment> find(EnrollmentId id);

    /**
     * Lists enrollments in {@link EnrollmentId} order (device id, then user id, device channel first), a
     * page at a time.
     *
     * @param filter which enrollments; {@link EnrollmentFilter#ALL} for all
     * @param after  the last id of the previous page, or {@code null} for the first page
     * @param limit  the most to return; positive
     * @return up to {@code limit} enrollments matching {@code filter} whose ids come after {@code after}
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    List<Enrollment> list(EnrollmentFilter filter, EnrollmentId after, int limit);

    /**
     * @param filter which enrollments
     * @return how many enrollments match
     */
    long count(EnrollmentFilter filter);

    /**
     * @param deviceChannel a device channel
     * @return its user channels, enabled or not, in {@link EnrollmentId} order
     */
    List<Enrollment> userChannels(EnrollmentId deviceChannel);

    /**
     * Looks up how to wake channels. Ids that are unknown, disabled, or whose token was invalidated
     * are silently left out; the caller tells them apart by the {@code enrollmentId} of the results.
     *
     * @param ids channels
     * @return one target per channel that can be pushed, in no particular order
     */
    List<PushTarget> pushTargets(Collection<EnrollmentId> ids);

    /**
     * Marks a channel's push token as invalid after APNs refused it ({@code 410 Unregistered} or
     * {@code BadDeviceToken}): {@link #pushTargets} leaves the channel out until its next
     * {@code TokenUpdate}. Does nothing if the stored token differs from {@code token}, so that a
     * token refreshed meanwhile is not lost.
     *
     * @param id    the channel
     * @param token the token APNs refused
     * @return {@code true} if the stored token was {@code token} and is now invalid
     */
    boolean invalidateToken(EnrollmentId id, byte[] token);

    /**
     * @param deviceChannel a device channel
     * @return the last unlock token the device sent (a copy), or empty
     */
    Optional<byte[]> unlockToken(EnrollmentId deviceChannel);

    /**
     * Records that a channel checked in or connected. {@code lastSeenAt} never moves back: an
     * earlier {@code at} than the stored one is ignored. Unknown ids are ignored.
     *
     * @param id the channel
     * @param at when
     */
    void seen(EnrollmentId id, Instant at);

    /**
     * Records when each of many channels was last seen, as {@link #seen(EnrollmentId, Instant)} does for each, in as
     * few durable writes as the store can (the engine batches last-seen times rather than writing one per connect).
     * The default calls {@code seen} for each; a store should override it with one transaction. As last-seen times
     * only move forward, a batch that fails part way leaves nothing inconsistent and may simply be sent again.
     *
     * @param lastSeen channels and when each was last seen; unknown ids are ignored
     * @since 1.3
     */
    default void seen(Map<EnrollmentId, Instant> lastSeen) {
        lastSeen.forEach(this::seen);
    }
}
