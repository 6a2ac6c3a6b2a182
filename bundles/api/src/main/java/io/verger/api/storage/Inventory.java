package io.verger.api.storage;

import io.verger.api.EnrollmentId;
import io.verger.api.Platform;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server knows about a device: the latest value of every key it has reported, from
 * {@code Authenticate} and from {@code DeviceInformation} (and other) query responses, under Apple's
 * key names ({@code SerialNumber}, {@code OSVersion}, {@code IsSupervised}...).
 *
 * @param id        the device channel
 * @param values    the latest value of each key, as plain-Java plist values
 * @param updatedAt when a value last changed
 */
public record Inventory(EnrollmentId id, Map<String, Object> values, Instant updatedAt) {

    /**
     * @throws NullPointerException     if a component (or a key or value of {@code values}) is {@code null}
     * @throws IllegalArgumentException if {@code id} is a user channel
     */
    public Inventory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(updatedAt, "updatedAt of " + id);
        if (id.isUserChannel()) {
            throw new IllegalArgumentException("inventory belongs to device channels, not to user channel " + id);
        }
        values = Map.copyOf(values);
    }

    /**
     * @param key an inventory key
     * @return its value if it is a string, else empty
     */
    public Optional<String> string(String key) {
        return values.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** @return {@code SerialNumber} */
    public Optional<String> serialNumber() {
        return string("SerialNumber");
    }

    /** @return {@code OSVersion}, e.g. {@code "17.5.1"} */
    public Optional<String> osVersion() {
        return string("OSVersion");
    }

    /** @return {@code ProductName}, e.g. {@code "iPhone14,2"} */
    public Optional<String> productName() {
        return string("ProductName");
    }

    /** @return the platform, derived from {@code ProductName} */
    public Optional<Platform> platform() {
        return productName().flatMap(Platform::ofProductName);
    }

    /** @return {@code IsSupervised}, or empty if the device has not said */
    public Optional<Boolean> supervised() {
        return values.get("IsSupervised") instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }
}
