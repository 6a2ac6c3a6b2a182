package io.verger.api.schema;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The type of a payload key in Apple's schema ({@code type: <string>} ...) and the plain Java type
 * that carries its value across the Verger API.
 */
public enum ValueType {
    /** {@code <string>}: {@link String}. */
    STRING("<string>", String.class),
    /** {@code <integer>}: {@link Long}. */
    INTEGER("<integer>", Long.class),
    /** {@code <real>}: {@link Double}. */
    REAL("<real>", Double.class),
    /** {@code <boolean>}: {@link Boolean}. */
    BOOLEAN("<boolean>", Boolean.class),
    /** {@code <date>}: {@link Instant}. */
    DATE("<date>", Instant.class),
    /** {@code <data>}: {@code byte[]}. */
    DATA("<data>", byte[].class),
    /** {@code <array>}: {@code List<Object>}. */
    ARRAY("<array>", List.class),
    /** {@code <dictionary>}: {@code Map<String,Object>}. */
    DICTIONARY("<dictionary>", Map.class),
    /** {@code <any>}: any of the other types, not validated further. */
    ANY("<any>", Object.class);

    private final String schemaName;
    private final Class<?> javaType;

    ValueType(String schemaName, Class<?> javaType) {
        this.schemaName = schemaName;
        this.javaType = javaType;
    }

    /** @return the name in Apple's schema, e.g. {@code "<integer>"} */
    public String schemaName() {
        return schemaName;
    }

    /** @return the Java type that carries a value of this type ({@link Object} for {@link #ANY}) */
    public Class<?> javaType() {
        return javaType;
    }

    /**
     * @param value a value, possibly {@code null}
     * @return {@code true} if {@code value} is a plain-Java value of this type; for {@link #ANY}, if
     *         it is a value of any plist type. {@code null} is never accepted. Only the top level is
     *         checked: the elements of a list or map are not.
     */
    public boolean accepts(Object value) {
        if (this == ANY) {
            return ofValue(value).isPresent();
        }
        return javaType.isInstance(value);
    }

    /**
     * @param value a value, possibly {@code null}
     * @return the plist type of a plain-Java value, or empty if it is {@code null} or not a plist value
     *         type (an {@link Integer}, say, is not: integers cross the API as {@link Long})
     */
    public static Optional<ValueType> ofValue(Object value) {
        if (value != null) {
            for (ValueType t : values()) {
                if (t != ANY && t.javaType.isInstance(value)) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Looks a type up by its schema name, with or without angle brackets ({@code "<real>"},
     * {@code "real"}), ignoring case.
     *
     * @param name the type name
     * @return the type
     * @throws IllegalArgumentException if {@code name} is {@code null} or names no type; the
     *                                  message lists the accepted names
     */
    public static ValueType of(String name) {
        if (name != null) {
            String bracketed = name.startsWith("<") ? name : "<" + name + ">";
            for (ValueType t : values()) {
                if (t.schemaName.equalsIgnoreCase(bracketed)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("unknown value type '" + name + "'; expected one of "
                + Arrays.stream(values()).map(ValueType::schemaName).collect(Collectors.joining(", ")));
    }

    /**
     * @param value a value, possibly {@code null}
     * @return how an error message should name the type of {@code value}: its schema name, or the
     *         Java class name for a value that is not a plist value, or {@code "nothing"} for {@code null}.
     *         Never the value itself, which may be a secret.
     */
    public static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        return ofValue(value).map(ValueType::schemaName).orElse(value.getClass().getName());
    }
}
