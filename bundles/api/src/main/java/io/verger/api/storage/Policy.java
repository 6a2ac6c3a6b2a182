package io.verger.api.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A policy: one policy module's settings, under a name, that the server installs as a profile on
 * the enrollments it is assigned to.
 *
 * @param id          the policy's id, stable for its life (it also makes the profile's identifiers);
 *                    1 to 255 characters without whitespace or control characters
 * @param name        a name for people
 * @param payloadType the {@code PayloadType} of the module that builds it
 * @param settings    the module's settings, plain-Java plist values
 * @param revision    0 for a policy not yet saved; then the store's revision, incremented by every save
 * @param updatedAt   when it was last changed
 */
public record Policy(String id, String name, String payloadType, Map<String, Object> settings,
        long revision, Instant updatedAt) {

    /**
     * @throws NullPointerException     if a component is {@code null}
     * @throws IllegalArgumentException if {@code id} is invalid, {@code name} or {@code payloadType}
     *                                  is blank, or {@code revision} is negative
     */
    public Policy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name of policy " + id);
        Objects.requireNonNull(payloadType, "payloadType of policy " + id);
        Objects.requireNonNull(updatedAt, "updatedAt of policy " + id);
        if (id.isEmpty() || id.length() > 255 || id.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("policy id must be 1 to 255 characters without whitespace or control characters");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("name of policy " + id + " is blank");
        }
        if (payloadType.isBlank()) {
            throw new IllegalArgumentException("payloadType of policy " + id + " is blank");
        }
        if (revision < 0) {
            throw new IllegalArgumentException("revision of policy " + id + " is negative: " + revision);
        }
        settings = Map.copyOf(settings);
    }
}
