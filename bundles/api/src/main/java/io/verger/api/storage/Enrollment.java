package io.verger.api.storage;

import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;

import java.time.Instant;
import java.util.Objects;

/**
 * One MDM channel of an enrolled (or formerly enrolled) device.
 *
 * @param id                    the channel
 * @param type                  how the device enrolled
 * @param enabled               whether the channel is enrolled and reachable: set by its
 *                              {@code TokenUpdate}, cleared by {@code CheckOut}, a new
 *                              {@code Authenticate} of its device, or an administrator
 * @param awaitingConfiguration whether the device waits in Setup Assistant for {@code DeviceConfigured}
 *                              (from its last {@code TokenUpdate})
 * @param userShortName         the user's short name for a user channel, or {@code null}
 * @param userLongName          the user's full name for a user channel, or {@code null}
 * @param enrolledAt            when the channel (re-)enrolled: the device channel's last
 *                              {@code Authenticate}, a user channel's first {@code TokenUpdate}
 * @param lastSeenAt            when the channel last checked in or connected
 * @param facts                 what the device said about itself at its last {@code Authenticate} (a user
 *                              channel carries its device's facts); never {@code null}
 * @param tokenUpdates          how many {@code TokenUpdate}s the channel sent since it (re-)enrolled; 0 means
 *                              the enrollment is not complete yet, 1 that it just completed
 * @param topic                 the APNs topic of the channel's last {@code TokenUpdate}, or {@code null}
 */
public record Enrollment(EnrollmentId id, EnrollmentType type, boolean enabled, boolean awaitingConfiguration,
        String userShortName, String userLongName, Instant enrolledAt, Instant lastSeenAt, DeviceFacts facts,
        long tokenUpdates, String topic) {

    /** @throws NullPointerException if {@code id}, {@code type}, {@code enrolledAt} or {@code lastSeenAt} is {@code null} */
    public Enrollment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type of " + id);
        Objects.requireNonNull(enrolledAt, "enrolledAt of " + id);
        Objects.requireNonNull(lastSeenAt, "lastSeenAt of " + id);
        facts = facts == null ? DeviceFacts.NONE : facts;
        if (tokenUpdates < 0) {
            throw new IllegalArgumentException("tokenUpdates of " + id + " is negative: " + tokenUpdates);
        }
    }
}
