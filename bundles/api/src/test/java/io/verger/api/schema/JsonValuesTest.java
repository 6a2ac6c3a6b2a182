package io.verger.api.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonValuesTest {

    static final List<PayloadKey> KEYS = List.of(
            PayloadKey.optional("Image", ValueType.DATA, ""),
            PayloadKey.optional("At", ValueType.DATE, ""),
            PayloadKey.optional("Count", ValueType.INTEGER, ""),
            PayloadKey.optional("Ratio", ValueType.REAL, ""),
            PayloadKey.optional("Items", ValueType.ARRAY, "").withSubkeys(PayloadKey.optional("Item", ValueType.INTEGER, "")),
            PayloadKey.optional("Nested", ValueType.DICTIONARY, "").withSubkeys(PayloadKey.optional("When", ValueType.DATE, "")));

    @Test
    void valuesAreConvertedByTheTypeTheKeyDescribes() throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Image", "AQID");
        json.put("At", "2026-01-31T12:00:00Z");
        json.put("Count", 3.0);
        json.put("Ratio", 2);
        json.put("Items", List.of(1, 2));
        json.put("Nested", Map.of("When", "2026-02-01T00:00:00Z"));
        json.put("Unknown", 7);
        json.put("Absent", null);
        Map<String, Object> p = JsonValues.toPlist(KEYS, json);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) p.get("Image"));
        assertEquals(Instant.parse("2026-01-31T12:00:00Z"), p.get("At"));
        assertEquals(3L, p.get("Count"));
        assertEquals(2.0, p.get("Ratio"));
        assertEquals(List.of(1L, 2L), p.get("Items"));
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), ((Map<?, ?>) p.get("Nested")).get("When"));
        assertEquals(7L, p.get("Unknown"));
        assertFalse(p.containsKey("Absent"), "a JSON null means absent");
    }

    @Test
    void unconvertibleValuesAreRefusedNamingTheKeyPath() {
        PayloadValidationException e = assertThrows(PayloadValidationException.class,
                () -> JsonValues.toPlist(KEYS, Map.of("At", "yesterday")));
        assertTrue(e.getMessage().startsWith("At:"), e.getMessage());
        e = assertThrows(PayloadValidationException.class, () -> JsonValues.toPlist(KEYS, Map.of("Image", "***")));
        assertTrue(e.getMessage().startsWith("Image:"), e.getMessage());
        e = assertThrows(PayloadValidationException.class, () -> JsonValues.toPlist(KEYS, Map.of("Items", Arrays.asList(1, null))));
        assertEquals("Items[1]", e.key());
    }
}
