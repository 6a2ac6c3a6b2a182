package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;

import java.time.Instant;
import java.util.Objects;

/**
 * How values are written to columns. Instants are nanoseconds since the epoch in a BIGINT, exact
 * and comparable in both databases (the range 1677..2262 covers every MDM date). An enrollment id
 * is its device part and a user key that is empty for the device channel, so that the primary key
 * orders as {@link EnrollmentId#compareTo} does.
 */
final class Columns {

    private Columns() {
    }

    static long nanos(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("instant " + instant + " is outside the range the store keeps (1677..2262)", e);
        }
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    static String userKey(EnrollmentId id) {
        return id.userId() == null ? "" : id.userId();
    }

    static EnrollmentId id(String deviceId, String userKey) {
        return userKey == null || userKey.isEmpty() ? EnrollmentId.device(deviceId) : EnrollmentId.user(deviceId, userKey);
    }

    static EnrollmentId requireDeviceChannel(EnrollmentId id, String what) {
        Objects.requireNonNull(id, "enrollment id");
        if (id.isUserChannel()) {
            throw new IllegalArgumentException(what + " belongs to device channels, not to user channel " + id);
        }
        return id;
    }
}
