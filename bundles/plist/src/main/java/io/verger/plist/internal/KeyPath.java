package io.verger.plist.internal;

import java.util.Arrays;

/**
 * Where in the value tree a reader or writer is, rendered only when a message needs it
 * ({@code QueryResponses.Apps[3].Identifier}). One instance per decode or encode call.
 */
final class KeyPath {

    private static final int UNSET = -1;

    private String[] keys = new String[8];
    private int[] indices = new int[8];
    private int size;

    /** Enters a dictionary or array; the segment is set by {@link #key} or {@link #index}. */
    void push() {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            indices = Arrays.copyOf(indices, size * 2);
        }
        keys[size] = null;
        indices[size] = UNSET;
        size++;
    }

    void pop() {
        keys[--size] = null;
    }

    void key(String key) {
        keys[size - 1] = key;
        indices[size - 1] = UNSET;
    }

    void index(int index) {
        keys[size - 1] = null;
        indices[size - 1] = index;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            if (keys[i] != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(PlistTypes.clean(keys[i]));
            } else if (indices[i] != UNSET) {
                sb.append('[').append(indices[i]).append(']');
            }
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }
}
