package io.verger.plist.internal;

import io.verger.plist.PlistException;
import io.verger.plist.PlistLimits;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;

/**
 * What both writers check while walking a caller's value: supported types, no null, depth and object
 * limits, no collection containing itself. Errors name the key path.
 */
final class ValueGuard {

    private static final String SUPPORTED = "supported are Map (String keys), List, String, Long, Integer, Short, "
            + "Byte, Double, Float, BigInteger (64-bit), Boolean, byte[] and java.time.Instant";

    final KeyPath path = new KeyPath();
    private final int maxDepth;
    private final int maxObjects;
    private Object[] open = new Object[8];
    private int depth;
    private int objects;

    ValueGuard(PlistLimits limits) {
        this.maxDepth = limits.maxDepth();
        this.maxObjects = limits.maxObjects();
    }

    /** Enters a Map or List: counts it, checks the depth and that it is not one of its own ancestors. */
    void enter(Object container) {
        count();
        if (depth >= maxDepth) {
            throw new PlistException("cannot encode value nested deeper than " + maxDepth + " levels at " + path);
        }
        for (int i = 0; i < depth; i++) {
            if (open[i] == container) {
                throw new PlistException("cannot encode value at " + path
                        + ": it contains itself (a Map or List that refers back to an enclosing one)");
            }
        }
        if (depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
        }
        open[depth++] = container;
        path.push();
    }

    void exit() {
        open[--depth] = null;
        path.pop();
    }

    String key(Object key) {
        if (key instanceof String s) {
            path.key(s);
            return s;
        }
        throw new PlistException("cannot encode dictionary key " + (key == null ? "null" : "of type " + key.getClass().getName())
                + " at " + path + ": plist dictionary keys are strings");
    }

    void index(int index) {
        path.index(index);
    }

    /**
     * Counts a non-container value and returns it as one of String, Long, Double, Boolean, byte[] or
     * Instant.
     */
    Object scalar(Object value) {
        count();
        if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean
                || value instanceof byte[] || value instanceof Instant) {
            return value;
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        } else if (value instanceof Float f) {
            return f.doubleValue();
        } else if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw new PlistException("cannot encode integer " + big + " at " + path + ": it does not fit in 64 bits");
            }
            return big.longValue();
        } else if (value == null) {
            throw new PlistException("cannot encode null at " + path + ": plists have no null value");
        }
        throw new PlistException("cannot encode " + value.getClass().getName() + " at " + path + ": " + SUPPORTED);
    }

    private void count() {
        if (++objects > maxObjects) {
            throw new PlistException("cannot encode value with more than " + maxObjects + " objects");
        }
    }
}
