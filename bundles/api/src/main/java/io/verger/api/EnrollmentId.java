package io.verger.api;

import java.util.Comparator;
import java.util.Objects;

/**
 * The identifier of one MDM channel of one enrolled device, as the server keys everything by it
 * (queue, storage, events, API paths).
 *
 * <ul>
 * <li>Device channel: the device's {@code UDID}, or for a User Enrollment (which hides the UDID)
 * its {@code EnrollmentID}. Example: {@code 00008030-001A2B3C4D5E6F70}.</li>
 * <li>User channel: the device channel id, a colon and the user's id: {@code UserID} (macOS user
 * or Shared iPad user's {@code UserShortName}) or {@code EnrollmentUserID}. Example:
 * {@code 00008030-001A2B3C4D5E6F70:6F9A1B3C-1D2E-4F50-8A6B-7C8D9E0F1A2B}.</li>
 * </ul>
 *
 * <p>Both parts are opaque to the server, and validated only so that an id is safe everywhere it is
 * written: each part is 1 to {@value #MAX_PART_LENGTH} characters with no whitespace, no control
 * character, and none of {@code :} (the channel separator), {@code ,} (the id-list separator of
 * {@code /v1/enqueue/{ids}}) or {@code /} (ids are URL path segments). Apple's identifiers (UUIDs,
 * UDIDs, short names) never contain these.
 *
 * @param deviceId the device channel id (UDID or EnrollmentID); never {@code null}
 * @param userId   the user part of a user channel, or {@code null} for the device channel
 */
public record EnrollmentId(String deviceId, String userId) implements Comparable<EnrollmentId> {

    /** The longest accepted device or user part, in characters. */
    public static final int MAX_PART_LENGTH = 255;

    /** Separates the device part from the user part in the formatted form. */
    public static final char SEPARATOR = ':';

    private static final Comparator<EnrollmentId> ORDER = Comparator
            .comparing(EnrollmentId::deviceId)
            .thenComparing(EnrollmentId::userId, Comparator.nullsFirst(Comparator.naturalOrder()));

    /**
     * @throws IllegalArgumentException if {@code deviceId} is {@code null} or either part is not a
     *                                  valid id part (see the class description); the message
     *                                  names the part and the offending character
     */
    public EnrollmentId {
        check("device id", deviceId);
        if (userId != null) {
            check("user id", userId);
        }
    }

    /**
     * Parses the formatted form: {@code deviceId} or {@code deviceId:userId}.
     *
     * @param text the formatted id, e.g. from an API path
     * @return the id
     * @throws IllegalArgumentException if {@code text} is {@code null}, blank, has more than one
     *                                  {@code :}, an empty part, or a character that is not allowed
     */
    public static EnrollmentId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("enrollment id is missing (null)");
        }
        int colon = text.indexOf(SEPARATOR);
        if (colon < 0) {
            return new EnrollmentId(text, null);
        }
        if (text.indexOf(SEPARATOR, colon + 1) >= 0) {
            throw new IllegalArgumentException("enrollment id " + quote(text)
                    + " has more than one '" + SEPARATOR + "'; expected deviceId or deviceId:userId");
        }
        return new EnrollmentId(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * @param deviceId the UDID, or the EnrollmentID of a User Enrollment
     * @return the device channel id
     * @throws IllegalArgumentException if {@code deviceId} is not a valid id part
     */
    public static EnrollmentId device(String deviceId) {
        return new EnrollmentId(deviceId, null);
    }

    /**
     * @param deviceId the device channel id
     * @param userId   the UserID, Shared iPad UserShortName or EnrollmentUserID
     * @return the user channel id
     * @throws IllegalArgumentException if either part is {@code null} or not a valid id part
     */
    public static EnrollmentId user(String deviceId, String userId) {
        if (userId == null) {
            throw new IllegalArgumentException("user id is missing (null) for a user channel of "
                    + quote(deviceId));
        }
        return new EnrollmentId(deviceId, userId);
    }

    /** @return {@code true} for a user channel ({@code deviceId:userId}) */
    public boolean isUserChannel() {
        return userId != null;
    }

    /** @return the channel this id names */
    public Channel channel() {
        return userId == null ? Channel.DEVICE : Channel.USER;
    }

    /** @return the device channel this id belongs to; itself for a device channel */
    public EnrollmentId deviceChannel() {
        return userId == null ? this : new EnrollmentId(deviceId, null);
    }

    /**
     * @param userId the user part
     * @return the user channel of this id's device for {@code userId}
     * @throws IllegalArgumentException if {@code userId} is not a valid id part
     */
    public EnrollmentId userChannel(String userId) {
        return user(deviceId, userId);
    }

    /** @return the formatted form, {@code deviceId} or {@code deviceId:userId}; {@link #parse} reads it back */
    public String format() {
        return userId == null ? deviceId : deviceId + SEPARATOR + userId;
    }

    /** @return {@link #format()} */
    @Override
    public String toString() {
        return format();
    }

    /** Orders by device id, then the device channel before its user channels, then by user id. */
    @Override
    public int compareTo(EnrollmentId other) {
        return ORDER.compare(this, Objects.requireNonNull(other, "other"));
    }

    private static void check(String part, String value) {
        if (value == null) {
            throw new IllegalArgumentException(part + " is missing (null)");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(part + " is empty");
        }
        if (value.length() > MAX_PART_LENGTH) {
            throw new IllegalArgumentException(part + " is " + value.length()
                    + " characters long; at most " + MAX_PART_LENGTH + " are allowed");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(part + " is blank");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String problem = null;
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                problem = "a control character";
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                problem = "whitespace";
            } else if (c == SEPARATOR || c == ',' || c == '/') {
                problem = "'" + c + "'";
            }
            if (problem != null) {
                throw new IllegalArgumentException(part + " " + quote(value) + " contains " + problem
                        + " at index " + i + "; ids may not contain whitespace, control characters, ':', ',' or '/'");
            }
        }
    }

    /** Quotes a value for an error message, escaping what a log line or terminal would not show. */
    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        int shown = Math.min(value.length(), 80);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.FORMAT || c == '"' || c == '\\') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (shown < value.length()) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
