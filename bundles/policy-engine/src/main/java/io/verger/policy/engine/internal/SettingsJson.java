package io.verger.policy.engine.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.ValueType;

/**
 * JSON settings to plist values and back, guided by the module's description: base64 strings become
 * {@code <data>}, ISO-8601 strings {@code <date>}, numbers integers or reals as the key's type says.
 */
final class SettingsJson {

    private SettingsJson() {
    }

    static Map<String, Object> settings(List<PayloadKey> keys, JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return Map.of();
        }
        if (!json.isObject()) {
            throw new ApiException(400, "settings: expected a JSON object");
        }
        return dictionary(json, keys, "");
    }

    private static Map<String, Object> dictionary(JsonNode object, List<PayloadKey> keys, String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(f -> {
            if (f.getValue().isNull()) {
                return;
            }
            PayloadKey k = keys.stream().filter(x -> x.key().equals(f.getKey())).findFirst().orElse(null);
            out.put(f.getKey(), value(f.getValue(), k, path.isEmpty() ? f.getKey() : path + "." + f.getKey()));
        });
        return Collections.unmodifiableMap(out);
    }

    private static Object value(JsonNode n, PayloadKey k, String path) {
        ValueType type = k == null ? ValueType.ANY : k.type();
        switch (type) {
            case DATA:
                if (n.isTextual()) {
                    try {
                        return Base64.getDecoder().decode(n.asText().replaceAll("\\s", ""));
                    } catch (IllegalArgumentException e) {
                        throw new ApiException(400, path + ": expected <data> as a base64 string");
                    }
                }
                break;
            case DATE:
                if (n.isTextual()) {
                    try {
                        return Instant.parse(n.asText());
                    } catch (DateTimeParseException e) {
                        throw new ApiException(400, path + ": expected <date> as an ISO-8601 instant, found '" + n.asText() + "'");
                    }
                }
                break;
            case INTEGER:
                if (n.isIntegralNumber()) {
                    return n.asLong();
                }
                break;
            case REAL:
                if (n.isNumber()) {
                    return n.asDouble();
                }
                break;
            case ARRAY:
                if (n.isArray()) {
                    PayloadKey element = k.subkeys().isEmpty() ? null : k.subkeys().get(0);
                    List<Object> out = new ArrayList<>(n.size());
                    for (int i = 0; i < n.size(); i++) {
                        out.add(value(n.get(i), element, path + "[" + i + "]"));
                    }
                    return Collections.unmodifiableList(out);
                }
                break;
            case DICTIONARY:
                if (n.isObject()) {
                    return dictionary(n, k.subkeys(), path);
                }
                break;
            default:
                break;
        }
        return generic(n, path);
    }

    private static Object generic(JsonNode n, String path) {
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            for (int i = 0; i < n.size(); i++) {
                out.add(generic(n.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        if (n.isObject()) {
            return dictionary(n, List.of(), path);
        }
        throw new ApiException(400, path + ": expected a plist value, found JSON null");
    }

    /** @return plist values as JSON-friendly values (data as base64, dates as ISO-8601) */
    static Object toJson(Object v) {
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((key, value) -> out.put(String.valueOf(key), toJson(value)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(SettingsJson::toJson).toList();
        }
        return v;
    }

    /** @return a key's description for API callers */
    static Map<String, Object> key(PayloadKey k) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", k.key());
        out.put("type", k.type().schemaName());
        out.put("required", k.required());
        if (!k.description().isEmpty()) {
            out.put("description", k.description());
        }
        if (!k.allowedValues().isEmpty()) {
            out.put("allowed", toJson(k.allowedValues()));
        }
        if (k.defaultValue() != null) {
            out.put("default", toJson(k.defaultValue()));
        }
        if (!k.subkeys().isEmpty()) {
            out.put("subkeys", k.subkeys().stream().map(SettingsJson::key).toList());
        }
        return out;
    }
}
