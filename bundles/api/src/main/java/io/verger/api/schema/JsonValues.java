package io.verger.api.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JSON values, as a JSON library gives them in plain Java ({@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean}, {@code null}), into plist values guided by the payload keys that describe them:
 * a base64 string becomes {@code <data>}, an ISO-8601 string {@code <date>}, a number an {@code <integer>} or a
 * {@code <real>} as the key's type says. Keys the description does not know are converted by their JSON type. A
 * JSON {@code null} in a dictionary means "absent" and is left out; in an array it is refused.
 *
 * <p>This only converts; validating the result against the keys ({@link PayloadKey#validateDictionary}) is the
 * caller's next step. Used by the admin APIs for command parameters and policy settings.
 *
 * @since 1.1
 */
public final class JsonValues {

    private JsonValues() {
    }

    /**
     * @param keys the keys that describe the dictionary
     * @param json a JSON object as plain Java values
     * @return the dictionary as unmodifiable plist values
     * @throws PayloadValidationException naming the key path when a value cannot be converted
     */
    public static Map<String, Object> toPlist(List<PayloadKey> keys, Map<?, ?> json) throws PayloadValidationException {
        return dictionary(json, keys, "");
    }

    private static Map<String, Object> dictionary(Map<?, ?> object, List<PayloadKey> keys, String path) throws PayloadValidationException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> f : object.entrySet()) {
            if (f.getValue() == null) {
                continue;
            }
            String name = String.valueOf(f.getKey());
            PayloadKey k = null;
            for (PayloadKey x : keys) {
                if (x.key().equals(name)) {
                    k = x;
                    break;
                }
            }
            out.put(name, value(f.getValue(), k, path.isEmpty() ? name : path + "." + name));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object value(Object n, PayloadKey k, String path) throws PayloadValidationException {
        ValueType type = k == null ? ValueType.ANY : k.type();
        switch (type) {
            case DATA:
                if (n instanceof String s) {
                    try {
                        return Base64.getDecoder().decode(s.replaceAll("\\s", ""));
                    } catch (IllegalArgumentException e) {
                        throw new PayloadValidationException(path, "<data> as a base64 string", "a string that is not base64");
                    }
                }
                break;
            case DATE:
                if (n instanceof String s) {
                    try {
                        return Instant.parse(s);
                    } catch (DateTimeParseException e) {
                        throw new PayloadValidationException(path, "<date> as an ISO-8601 instant such as 2026-01-31T12:00:00Z", "'" + s + "'");
                    }
                }
                break;
            case INTEGER:
                if (n instanceof Number num) {
                    Long whole = wholeNumber(num);
                    if (whole != null) {
                        return whole;
                    }
                }
                break;
            case REAL:
                if (n instanceof Number num) {
                    return num.doubleValue();
                }
                break;
            case ARRAY:
                if (n instanceof List<?> list) {
                    PayloadKey element = k.subkeys().isEmpty() ? null : k.subkeys().get(0);
                    List<Object> out = new ArrayList<>(list.size());
                    for (int i = 0; i < list.size(); i++) {
                        if (list.get(i) == null) {
                            throw new PayloadValidationException(path + "[" + i + "]", "a value", "null");
                        }
                        out.add(value(list.get(i), element, path + "[" + i + "]"));
                    }
                    return Collections.unmodifiableList(out);
                }
                break;
            case DICTIONARY:
                if (n instanceof Map<?, ?> map) {
                    return dictionary(map, k.subkeys(), path);
                }
                break;
            default:
                break;
        }
        return generic(n, path);
    }

    /** The value as a long when it is a whole number that fits; null otherwise. */
    private static Long wholeNumber(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        if (n instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        if (n instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        double d = n.doubleValue();
        return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 0x1p63 ? (long) d : null;
    }

    /** A value of a key the description does not type: by its JSON type (a wrong type is left to validation). */
    private static Object generic(Object n, String path) throws PayloadValidationException {
        if (n instanceof String || n instanceof Boolean) {
            return n;
        }
        if (n instanceof Number num) {
            Long whole = (num instanceof Double || num instanceof Float || num instanceof BigDecimal) ? null : wholeNumber(num);
            return whole != null ? whole : (Object) num.doubleValue();
        }
        if (n instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) == null) {
                    throw new PayloadValidationException(path + "[" + i + "]", "a plist value", "JSON null");
                }
                out.add(generic(list.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        if (n instanceof Map<?, ?> map) {
            return dictionary(map, List.of(), path);
        }
        throw new PayloadValidationException(path, "a plist value", n == null ? "JSON null" : n.getClass().getSimpleName());
    }
}
