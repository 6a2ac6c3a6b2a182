package io.verger.plist;

/**
 * Bounds a {@link PlistCodec} enforces on what it decodes (and, for depth and object count, on what it
 * encodes).
 *
 * @param maxInputBytes largest accepted plist, checked before any parsing; a binary plist may also not
 *                      expand to more {@code <data>} bytes than this through shared references
 * @param maxDepth      deepest accepted nesting of dictionaries and arrays (a root dictionary holding an
 *                      array is depth 2); at most {@value #MAX_DEPTH_CEILING}
 * @param maxObjects    most values (dictionaries, arrays and scalars, not keys) one plist may hold,
 *                      counting a binary plist's shared references as often as they are used
 */
public record PlistLimits(int maxInputBytes, int maxDepth, int maxObjects) {

    /**
     * 16 MiB: command results such as InstalledApplicationList, CertificateList or ProfileList reach
     * several MB on well-stocked devices.
     */
    public static final int DEFAULT_MAX_INPUT_BYTES = 16 * 1024 * 1024;
    /** Apple's own check-in and command plists stay well under 10 levels. */
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** Far above any real command result, far below what would exhaust a server's heap. */
    public static final int DEFAULT_MAX_OBJECTS = 1_000_000;
    /**
     * Decoding keeps its own stack and would take any depth; encoding recurses once per level, and this
     * keeps that within any thread's stack.
     */
    public static final int MAX_DEPTH_CEILING = 512;

    private static final PlistLimits DEFAULTS =
            new PlistLimits(DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_OBJECTS);

    public PlistLimits {
        if (maxInputBytes < 1) {
            throw new IllegalArgumentException("maxInputBytes must be at least 1, was " + maxInputBytes);
        }
        if (maxDepth < 1 || maxDepth > MAX_DEPTH_CEILING) {
            throw new IllegalArgumentException(
                    "maxDepth must be between 1 and " + MAX_DEPTH_CEILING + ", was " + maxDepth);
        }
        if (maxObjects < 1) {
            throw new IllegalArgumentException("maxObjects must be at least 1, was " + maxObjects);
        }
    }

    /** 16 MiB input, depth 64, one million objects. */
    public static PlistLimits defaults() {
        return DEFAULTS;
    }

    public PlistLimits withMaxInputBytes(int bytes) {
        return new PlistLimits(bytes, maxDepth, maxObjects);
    }

    public PlistLimits withMaxDepth(int depth) {
        return new PlistLimits(maxInputBytes, depth, maxObjects);
    }

    public PlistLimits withMaxObjects(int objects) {
        return new PlistLimits(maxInputBytes, maxDepth, objects);
    }
}
