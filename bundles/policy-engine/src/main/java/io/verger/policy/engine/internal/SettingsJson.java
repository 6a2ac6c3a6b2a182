package io.verger.policy.engine.internal;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.verger.api.schema.JsonValues;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PayloadValidationException;

/**
 * JSON settings to plist values and back, guided by the module's description: base64 strings become
 * {@code <data>}, ISO-8601 strings {@code <date>}, numbers integers or reals as the key's type says.
 */
final class SettingsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SettingsJson() {
    }

    static Map<String, Object> settings(List<PayloadKey> keys, JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return Map.of();
        }
        if (!json.isObject()) {
            throw new ApiException(400, "settings: expected a JSON object");
        }
        try {
            return JsonValues.toPlist(keys, MAPPER.convertValue(json, Map.class));
        } catch (PayloadValidationException e) {
            throw new ApiException(400, e.getMessage());
        }
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
