package io.verger.api.schema;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadKeyTest {

    // Shaped after DeviceInformation and DeviceLock in Apple's mdm/commands.
    private static final List<PayloadKey> KEYS = List.of(
            PayloadKey.required("Queries", ValueType.ARRAY, "Keys to query.")
                    .withSubkeys(PayloadKey.required("QueriesItem", ValueType.STRING, "")
                            .withAllowedValues("UDID", "OSVersion", "SerialNumber")),
            PayloadKey.optional("PIN", ValueType.STRING, "Six-digit Find My PIN."),
            PayloadKey.optional("MaxAge", ValueType.INTEGER, "").withRange(1L, 60L),
            PayloadKey.optional("Options", ValueType.DICTIONARY, "")
                    .withSubkeys(PayloadKey.required("Mode", ValueType.STRING, "").withAllowedValues("On", "Off")),
            PayloadKey.optional("Extra", ValueType.DICTIONARY, "Any keys."));

    private static PayloadValidationException invalid(Map<String, Object> dict) {
        return assertThrows(PayloadValidationException.class, () -> PayloadKey.validateDictionary(KEYS, dict, ""));
    }

    @Test
    void acceptsValidNestedValues() {
        assertDoesNotThrow(() -> PayloadKey.validateDictionary(KEYS, Map.of(
                "Queries", List.of("UDID", "SerialNumber"),
                "MaxAge", 60L,
                "Options", Map.of("Mode", "On"),
                "Extra", Map.of("Anything", List.of(1L, "two"))), ""));
    }

    @Test
    void missingRequiredKeyIsNamed() {
        PayloadValidationException e = invalid(Map.of("PIN", "123456"));
        assertEquals("Queries", e.key());
        assertEquals("Queries: expected a value of type <array> (required), found nothing", e.getMessage());
    }

    @Test
    void unknownKeyIsNamedWithTheKnownOnes() {
        PayloadValidationException e = invalid(Map.of("Queries", List.of(), "Pin", "123456"));
        assertEquals("Pin", e.key());
        assertTrue(e.expected().contains("PIN"), e.expected());
    }

    @Test
    void wrongTypeNamesTypesButNeverTheValue() {
        PayloadValidationException e = invalid(Map.of("Queries", List.of(), "PIN", 123456L));
        assertEquals("PIN: expected <string>, found <integer>", e.getMessage());
        assertEquals("<integer>", e.found());
    }

    @Test
    void arrayElementPathCarriesItsIndex() {
        PayloadValidationException e = invalid(Map.of("Queries", List.of("UDID", "OSVerison")));
        assertEquals("Queries[1]", e.key());
        assertEquals("one of UDID, OSVersion, SerialNumber", e.expected());
        assertEquals("'OSVerison'", e.found());
    }

    @Test
    void nestedDictionaryPathAndRangeAreChecked() {
        assertEquals("Options.Mode", invalid(Map.of("Queries", List.of(), "Options", Map.of("Mode", "Auto"))).key());
        assertEquals("Options.Mode", invalid(Map.of("Queries", List.of(), "Options", Map.of())).key());
        PayloadValidationException e = invalid(Map.of("Queries", List.of(), "MaxAge", 61L));
        assertEquals("MaxAge: expected at most 60, found 61", e.getMessage());
        assertEquals("MaxAge", invalid(Map.of("Queries", List.of(), "MaxAge", 0L)).key());
    }

    @Test
    void rejectsDescriptionsThatContradictThemselves() {
        assertThrows(IllegalArgumentException.class, () -> PayloadKey.optional(" ", ValueType.STRING, ""));
        assertThrows(IllegalArgumentException.class,
                () -> PayloadKey.optional("A", ValueType.INTEGER, "").withAllowedValues("one"));
        assertThrows(IllegalArgumentException.class,
                () -> PayloadKey.optional("A", ValueType.STRING, "").withRange(1L, 2L));
        assertThrows(IllegalArgumentException.class,
                () -> PayloadKey.optional("A", ValueType.INTEGER, "").withRange(5L, 1L));
        assertThrows(IllegalArgumentException.class,
                () -> PayloadKey.optional("A", ValueType.BOOLEAN, "").withDefault("yes"));
        assertThrows(IllegalArgumentException.class,
                () -> PayloadKey.optional("A", ValueType.STRING, "").withSubkeys(PayloadKey.optional("B", ValueType.STRING, "")));
        PayloadKey b = PayloadKey.optional("B", ValueType.STRING, "");
        assertThrows(IllegalArgumentException.class,
                () -> PayloadKey.optional("A", ValueType.DICTIONARY, "").withSubkeys(b, b));
        assertThrows(IllegalArgumentException.class,
                () -> PayloadKey.optional("A", ValueType.ARRAY, "").withSubkeys(b, PayloadKey.optional("C", ValueType.STRING, "")));
    }

    @Test
    void nullDescriptionReadsAsEmpty() {
        assertEquals("", PayloadKey.optional("A", ValueType.STRING, null).description());
    }
}
