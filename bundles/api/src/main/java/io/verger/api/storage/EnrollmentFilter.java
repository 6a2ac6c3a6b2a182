package io.verger.api.storage;

import java.time.Instant;

import io.verger.api.Platform;

/**
 * Which enrollments {@link EnrollmentStore#list(EnrollmentFilter, io.verger.api.EnrollmentId, int)} returns.
 * A {@code null} field does not filter.
 *
 * @param enabled      only enabled ({@code true}) or only disabled ({@code false}) channels
 * @param platform     only devices of this platform (from their {@code ProductName})
 * @param seenSince    only channels last seen at or after this instant
 * @param seenBefore   only channels last seen before this instant
 * @param deviceOnly   {@code true}: only device channels, no user channels
 */
public record EnrollmentFilter(Boolean enabled, Platform platform, Instant seenSince, Instant seenBefore, boolean deviceOnly) {

    /** Every enrollment, device and user channels, enabled or not. */
    public static final EnrollmentFilter ALL = new EnrollmentFilter(null, null, null, null, false);

    public EnrollmentFilter withEnabled(Boolean value) {
        return new EnrollmentFilter(value, platform, seenSince, seenBefore, deviceOnly);
    }

    public EnrollmentFilter withPlatform(Platform value) {
        return new EnrollmentFilter(enabled, value, seenSince, seenBefore, deviceOnly);
    }

    public EnrollmentFilter withSeenSince(Instant value) {
        return new EnrollmentFilter(enabled, platform, value, seenBefore, deviceOnly);
    }

    public EnrollmentFilter withSeenBefore(Instant value) {
        return new EnrollmentFilter(enabled, platform, seenSince, value, deviceOnly);
    }

    public EnrollmentFilter withDeviceOnly(boolean value) {
        return new EnrollmentFilter(enabled, platform, seenSince, seenBefore, value);
    }
}
