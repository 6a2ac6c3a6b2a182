package io.verger.api.schema;

import io.verger.api.Platform;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One key of a command's parameters or a payload's settings, as Apple's schema describes it in
 * {@code payloadkeys}. Build one with {@link #required} or {@link #optional} and the {@code with...}
 * methods:
 * <pre>{@code
 * PayloadKey.optional("Message", ValueType.STRING, "Shown on the Lock screen.")
 * PayloadKey.required("Queries", ValueType.ARRAY, "Keys to query.")
 *         .withSubkeys(PayloadKey.required("QueriesItem", ValueType.STRING, "").withAllowedValues("UDID", "OSVersion"))
 * }</pre>
 *
 * @param key           the key's name, e.g. {@code "PIN"}; for the element of an array, a name for
 *                      messages only (Apple uses {@code <Key>Item})
 * @param type          the value type
 * @param required      whether the key must be present ({@code presence: required})
 * @param description   what the key means, for people; may be empty, never {@code null}
 * @param allowedValues the only accepted values ({@code rangelist}), each a {@link String},
 *                      {@link Long} or {@link Double} of {@code type}; empty when any value goes
 * @param min           the smallest accepted number ({@code range.min}), or {@code null}
 * @param max           the largest accepted number ({@code range.max}), or {@code null}
 * @param defaultValue  the value the device assumes when the key is absent ({@code default}), a
 *                      {@link String}, {@link Long}, {@link Double} or {@link Boolean}; or {@code null}
 * @param subkeys       for a {@link ValueType#DICTIONARY}: its keys (empty: any keys go); for an
 *                      {@link ValueType#ARRAY}: at most one key describing every element; empty for
 *                      other types
 * @param platforms     the platforms this key is limited to; empty when it goes wherever its command
 *                      or payload goes
 */
public record PayloadKey(String key, ValueType type, boolean required, String description,
        List<Object> allowedValues, Number min, Number max, Object defaultValue,
        List<PayloadKey> subkeys, Set<Platform> platforms) {

    /**
     * @throws IllegalArgumentException if {@code key} is blank, an allowed value, the default or the
     *                                  bounds do not fit {@code type}, {@code min > max}, or subkeys
     *                                  are given for a type that has none (or two for an array, or
     *                                  a name twice for a dictionary); the message names the key
     * @throws NullPointerException     if {@code key}, {@code type} or a collection is {@code null}
     */
    public PayloadKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type of " + key);
        if (key.isBlank()) {
            throw new IllegalArgumentException("payload key name is blank");
        }
        description = description == null ? "" : description;
        allowedValues = List.copyOf(allowedValues);
        subkeys = List.copyOf(subkeys);
        platforms = Set.copyOf(platforms);
        for (Object v : allowedValues) {
            if (!(v instanceof String || v instanceof Long || v instanceof Double) || !type.accepts(v)) {
                throw new IllegalArgumentException(key + ": allowed value of type " + ValueType.describe(v)
                        + " does not fit " + type.schemaName());
            }
        }
        if ((min != null || max != null) && type != ValueType.INTEGER && type != ValueType.REAL) {
            throw new IllegalArgumentException(key + ": a range needs an <integer> or <real> key, not " + type.schemaName());
        }
        if (min != null && max != null && min.doubleValue() > max.doubleValue()) {
            throw new IllegalArgumentException(key + ": range min " + min + " is greater than max " + max);
        }
        if (defaultValue != null) {
            if (!(defaultValue instanceof String || defaultValue instanceof Long
                    || defaultValue instanceof Double || defaultValue instanceof Boolean) || !type.accepts(defaultValue)) {
                throw new IllegalArgumentException(key + ": default of type " + ValueType.describe(defaultValue)
                        + " does not fit " + type.schemaName());
            }
        }
        switch (type) {
            case ARRAY -> {
                if (subkeys.size() > 1) {
                    throw new IllegalArgumentException(key + ": an <array> has at most one subkey (its element), found " + subkeys.size());
                }
            }
            case DICTIONARY -> {
                Set<String> seen = new HashSet<>();
                for (PayloadKey k : subkeys) {
                    if (!seen.add(k.key())) {
                        throw new IllegalArgumentException(key + ": subkey '" + k.key() + "' is declared twice");
                    }
                }
            }
            default -> {
                if (!subkeys.isEmpty()) {
                    throw new IllegalArgumentException(key + ": only <array> and <dictionary> keys have subkeys, not " + type.schemaName());
                }
            }
        }
    }

    /**
     * @return a required key with no limits
     * @throws IllegalArgumentException if {@code key} is blank
     */
    public static PayloadKey required(String key, ValueType type, String description) {
        return new PayloadKey(key, type, true, description, List.of(), null, null, null, List.of(), Set.of());
    }

    /**
     * @return an optional key with no limits
     * @throws IllegalArgumentException if {@code key} is blank
     */
    public static PayloadKey optional(String key, ValueType type, String description) {
        return new PayloadKey(key, type, false, description, List.of(), null, null, null, List.of(), Set.of());
    }

    /** @return a copy that accepts only these values */
    public PayloadKey withAllowedValues(Object... values) {
        return new PayloadKey(key, type, required, description, List.of(values), min, max, defaultValue, subkeys, platforms);
    }

    /** @return a copy that accepts numbers from {@code min} to {@code max} inclusive; either may be {@code null} */
    public PayloadKey withRange(Number min, Number max) {
        return new PayloadKey(key, type, required, description, allowedValues, min, max, defaultValue, subkeys, platforms);
    }

    /** @return a copy with this default */
    public PayloadKey withDefault(Object defaultValue) {
        return new PayloadKey(key, type, required, description, allowedValues, min, max, defaultValue, subkeys, platforms);
    }

    /** @return a copy with these subkeys */
    public PayloadKey withSubkeys(PayloadKey... subkeys) {
        return new PayloadKey(key, type, required, description, allowedValues, min, max, defaultValue, List.of(subkeys), platforms);
    }

    /** @return a copy limited to these platforms */
    public PayloadKey withPlatforms(Platform... platforms) {
        return new PayloadKey(key, type, required, description, allowedValues, min, max, defaultValue, subkeys,
                Set.copyOf(List.of(platforms)));
    }

    /**
     * Checks a value against this key, recursively through declared subkeys.
     *
     * @param value the value, possibly {@code null} (which never passes)
     * @param path  the path of this value for error messages, e.g. {@code "Queries[2]"}
     * @throws PayloadValidationException naming the path of the first value that does not fit
     */
    public void validate(Object value, String path) throws PayloadValidationException {
        if (!type.accepts(value)) {
            throw new PayloadValidationException(path, type.schemaName(), ValueType.describe(value));
        }
        if (!allowedValues.isEmpty() && !allowedValues.contains(value)) {
            // Enumerated values are not secrets, and the typo is what the caller needs to see.
            throw new PayloadValidationException(path, "one of " + allowedValues.stream()
                    .map(String::valueOf).collect(Collectors.joining(", ")), "'" + value + "'");
        }
        if (value instanceof Number n) {
            if (min != null && n.doubleValue() < min.doubleValue()) {
                throw new PayloadValidationException(path, "at least " + min, String.valueOf(n));
            }
            if (max != null && n.doubleValue() > max.doubleValue()) {
                throw new PayloadValidationException(path, "at most " + max, String.valueOf(n));
            }
        }
        if (value instanceof Map<?, ?> map && !subkeys.isEmpty()) {
            validateDictionary(subkeys, map, path);
        } else if (value instanceof List<?> list && !subkeys.isEmpty()) {
            PayloadKey element = subkeys.get(0);
            for (int i = 0; i < list.size(); i++) {
                element.validate(list.get(i), path + "[" + i + "]");
            }
        }
    }

    /**
     * Checks a dictionary against its keys: every required key is present, every present key is
     * declared, and every value fits its key.
     *
     * @param keys       the declared keys
     * @param dictionary the dictionary
     * @param path       the path of the dictionary, empty for the top level
     * @throws PayloadValidationException naming the first missing, unknown or invalid key
     */
    public static void validateDictionary(List<PayloadKey> keys, Map<?, ?> dictionary, String path)
            throws PayloadValidationException {
        Objects.requireNonNull(dictionary, "dictionary");
        for (Object name : dictionary.keySet()) {
            if (!(name instanceof String s) || keys.stream().noneMatch(k -> k.key().equals(s))) {
                throw new PayloadValidationException(join(path, String.valueOf(name)),
                        keys.isEmpty() ? "no keys here"
                                : "one of the keys " + keys.stream().map(PayloadKey::key).collect(Collectors.joining(", ")),
                        "an unknown key");
            }
        }
        for (PayloadKey k : keys) {
            Object value = dictionary.get(k.key());
            if (value == null) {
                if (k.required()) {
                    throw new PayloadValidationException(join(path, k.key()),
                            "a value of type " + k.type().schemaName() + " (required)", "nothing");
                }
            } else {
                k.validate(value, join(path, k.key()));
            }
        }
    }

    private static String join(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }
}
