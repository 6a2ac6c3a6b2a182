package io.verger.api.schema;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Apple's {@code mode} of a command, payload or key under a special enrollment (User Enrollment,
 * Shared iPad).
 */
public enum Availability {
    /** Usable with or without the mode in effect. */
    ALLOWED,
    /** Usable only when the mode is in effect. */
    REQUIRED,
    /** Not usable when the mode is in effect. */
    FORBIDDEN,
    /** Accepted when the mode is in effect, but without effect. */
    IGNORED;

    /** @return the name in Apple's schema, e.g. {@code "forbidden"} */
    public String schemaName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name the schema name, e.g. {@code "allowed"}, ignoring case
     * @return the availability
     * @throws IllegalArgumentException if {@code name} is {@code null} or names none
     */
    public static Availability of(String name) {
        for (Availability a : values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Availability::schemaName).collect(Collectors.joining(", ")));
    }

    /**
     * @param modeInEffect whether the mode (User Enrollment, Shared iPad) is in effect on the device
     * @return whether the thing may be sent to such a device
     */
    public boolean permits(boolean modeInEffect) {
        return switch (this) {
            case ALLOWED, IGNORED -> true;
            case REQUIRED -> modeInEffect;
            case FORBIDDEN -> !modeInEffect;
        };
    }
}
