package io.verger.api.schema;

import io.verger.api.Channel;
import io.verger.api.EnrollmentType;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a command or payload is supported on one platform: one entry of {@code supportedOS} in
 * Apple's schema. A platform on which it is not supported ({@code introduced: n/a}) has no entry at
 * all.
 *
 * <p>Build one with {@link #since(String)} and the {@code with...} methods:
 * <pre>{@code
 * PlatformSupport.since("4.0")
 *         .withAccessRights(AccessRight.ALLOW_PASSCODE_REMOVAL_AND_LOCK)
 *         .withUserEnrollment(Availability.FORBIDDEN)
 * }</pre>
 *
 * @param introduced                  OS version that introduced it, e.g. {@code "10.7"}
 * @param deprecated                  OS version that deprecated it, or {@code null}
 * @param removed                     OS version that removed it, or {@code null}
 * @param accessRights                rights the device's {@code AccessRights} must grant
 *                                    (empty for {@code None} and for {@code Special Case}, where the
 *                                    keys need their own rights)
 * @param channels                    channels it may be sent on; never empty
 * @param supervisedOnly              only on supervised devices ({@code supervised})
 * @param requiresAutomatedEnrollment only on devices enrolled by ADE ({@code requiresdep})
 * @param requiresUserApprovedMdm     only with user-approved MDM ({@code userapprovedmdm}, macOS)
 * @param userEnrollment              its mode under User Enrollment ({@code userenrollment.mode})
 * @param sharedIpad                  its mode on Shared iPad ({@code sharedipad.mode})
 */
public record PlatformSupport(String introduced, String deprecated, String removed,
        Set<AccessRight> accessRights, Set<Channel> channels,
        boolean supervisedOnly, boolean requiresAutomatedEnrollment, boolean requiresUserApprovedMdm,
        Availability userEnrollment, Availability sharedIpad) {

    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+){0,3}");

    /**
     * @throws IllegalArgumentException if a version is not dotted digits (e.g. {@code "n/a"}: leave
     *                                  the platform out instead), or {@code channels} is empty
     * @throws NullPointerException     if {@code introduced}, a set or a mode is {@code null}
     */
    public PlatformSupport {
        checkVersion("introduced", Objects.requireNonNull(introduced, "introduced"));
        if (deprecated != null) {
            checkVersion("deprecated", deprecated);
        }
        if (removed != null) {
            checkVersion("removed", removed);
        }
        accessRights = Set.copyOf(accessRights);
        channels = Set.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("channels is empty; a command or payload is sent on at least one channel");
        }
        Objects.requireNonNull(userEnrollment, "userEnrollment");
        Objects.requireNonNull(sharedIpad, "sharedIpad");
    }

    /**
     * @param introduced OS version that introduced it, e.g. {@code "4.0"}
     * @return support from that version: no access right, device channel only, no supervision or
     *         enrollment requirement, allowed under User Enrollment and on Shared iPad
     */
    public static PlatformSupport since(String introduced) {
        return new PlatformSupport(introduced, null, null, Set.of(), Set.of(Channel.DEVICE),
                false, false, false, Availability.ALLOWED, Availability.ALLOWED);
    }

    /** @return a copy requiring exactly these access rights */
    public PlatformSupport withAccessRights(AccessRight... rights) {
        return new PlatformSupport(introduced, deprecated, removed, Set.copyOf(List.of(rights)), channels,
                supervisedOnly, requiresAutomatedEnrollment, requiresUserApprovedMdm, userEnrollment, sharedIpad);
    }

    /** @return a copy sent on exactly these channels */
    public PlatformSupport withChannels(Channel... channels) {
        return new PlatformSupport(introduced, deprecated, removed, accessRights, Set.copyOf(List.of(channels)),
                supervisedOnly, requiresAutomatedEnrollment, requiresUserApprovedMdm, userEnrollment, sharedIpad);
    }

    /** @return a copy that requires a supervised device */
    public PlatformSupport withSupervisedOnly() {
        return new PlatformSupport(introduced, deprecated, removed, accessRights, channels,
                true, requiresAutomatedEnrollment, requiresUserApprovedMdm, userEnrollment, sharedIpad);
    }

    /** @return a copy that requires Automated Device Enrollment */
    public PlatformSupport withAutomatedEnrollmentRequired() {
        return new PlatformSupport(introduced, deprecated, removed, accessRights, channels,
                supervisedOnly, true, requiresUserApprovedMdm, userEnrollment, sharedIpad);
    }

    /** @return a copy that requires user-approved MDM */
    public PlatformSupport withUserApprovedMdmRequired() {
        return new PlatformSupport(introduced, deprecated, removed, accessRights, channels,
                supervisedOnly, requiresAutomatedEnrollment, true, userEnrollment, sharedIpad);
    }

    /** @return a copy with this mode under User Enrollment */
    public PlatformSupport withUserEnrollment(Availability mode) {
        return new PlatformSupport(introduced, deprecated, removed, accessRights, channels,
                supervisedOnly, requiresAutomatedEnrollment, requiresUserApprovedMdm, mode, sharedIpad);
    }

    /** @return a copy with this mode on Shared iPad */
    public PlatformSupport withSharedIpad(Availability mode) {
        return new PlatformSupport(introduced, deprecated, removed, accessRights, channels,
                supervisedOnly, requiresAutomatedEnrollment, requiresUserApprovedMdm, userEnrollment, mode);
    }

    /** @return a copy deprecated in {@code version} */
    public PlatformSupport withDeprecated(String version) {
        return new PlatformSupport(introduced, version, removed, accessRights, channels,
                supervisedOnly, requiresAutomatedEnrollment, requiresUserApprovedMdm, userEnrollment, sharedIpad);
    }

    /** @return a copy removed in {@code version} */
    public PlatformSupport withRemoved(String version) {
        return new PlatformSupport(introduced, deprecated, version, accessRights, channels,
                supervisedOnly, requiresAutomatedEnrollment, requiresUserApprovedMdm, userEnrollment, sharedIpad);
    }

    /**
     * Checks the enrollment rules of this entry: channel, User Enrollment mode, supervision and
     * Automated Device Enrollment. It does not check OS versions, user-approved MDM, Shared iPad or
     * access rights, which need more facts of the device.
     *
     * @param type       how the device enrolled
     * @param channel    the channel the command or payload would be sent on
     * @param supervised whether the device is supervised
     * @return {@code true} if none of these rules forbids sending it
     */
    public boolean permits(EnrollmentType type, Channel channel, boolean supervised) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(channel, "channel");
        return channels.contains(channel)
                && userEnrollment.permits(type == EnrollmentType.USER_ENROLLMENT)
                && (!supervisedOnly || supervised)
                && (!requiresAutomatedEnrollment || type == EnrollmentType.AUTOMATED_DEVICE);
    }

    private static void checkVersion(String what, String version) {
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException(what + " version '" + version
                    + "' is not a dotted version such as 10.15; omit a platform that is not supported (n/a)");
        }
    }
}
