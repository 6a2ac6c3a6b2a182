package io.verger.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An Apple operating system, named as Apple's device-management schema names it (the keys of
 * {@code supportedOS}). iPadOS has no entry of its own: Apple's schema describes iPad under
 * {@link #IOS}, with Shared iPad as a mode of it.
 */
public enum Platform {
    /** iOS and iPadOS (iPhone, iPad, iPod touch). */
    IOS("iOS"),
    /** macOS. */
    MACOS("macOS"),
    /** tvOS (Apple TV). */
    TVOS("tvOS"),
    /** visionOS (Apple Vision Pro). */
    VISIONOS("visionOS"),
    /** watchOS (Apple Watch). */
    WATCHOS("watchOS");

    private final String schemaName;

    Platform(String schemaName) {
        this.schemaName = schemaName;
    }

    /** @return Apple's name for this platform, e.g. {@code "macOS"} */
    public String schemaName() {
        return schemaName;
    }

    /**
     * Looks a platform up by Apple's name, ignoring case ({@code "macOS"}, {@code "macos"}).
     *
     * @param name Apple's platform name
     * @return the platform
     * @throws IllegalArgumentException if {@code name} is {@code null} or names no platform; the
     *                                  message lists the accepted names
     */
    public static Platform of(String name) {
        if (name != null) {
            for (Platform p : values()) {
                if (p.schemaName.equalsIgnoreCase(name)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown platform '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Platform::schemaName).collect(Collectors.joining(", ")));
    }

    /**
     * Derives the platform from a device's {@code ProductName} as reported in {@code Authenticate} or
     * {@code DeviceInformation}, e.g. {@code iPhone14,2}, {@code iPad13,1}, {@code MacBookPro18,3},
     * {@code Mac14,2}, {@code VirtualMac2,1}, {@code AppleTV11,1}, {@code Watch6,1},
     * {@code RealityDevice14,1}.
     *
     * @param productName the product name
     * @return the platform, or empty if the name is not one Apple gives an MDM-capable device
     */
    public static Optional<Platform> ofProductName(String productName) {
        if (productName == null) {
            return Optional.empty();
        }
        if (productName.startsWith("iPhone") || productName.startsWith("iPad") || productName.startsWith("iPod")) {
            return Optional.of(IOS);
        }
        if (productName.startsWith("Mac") || productName.startsWith("iMac") || productName.startsWith("VirtualMac")) {
            return Optional.of(MACOS);
        }
        if (productName.startsWith("AppleTV")) {
            return Optional.of(TVOS);
        }
        if (productName.startsWith("Watch")) {
            return Optional.of(WATCHOS);
        }
        if (productName.startsWith("RealityDevice")) {
            return Optional.of(VISIONOS);
        }
        return Optional.empty();
    }
}
