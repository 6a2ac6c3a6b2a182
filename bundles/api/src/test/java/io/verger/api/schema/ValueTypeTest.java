package io.verger.api.schema;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueTypeTest {

    @Test
    void looksUpApplesTypeNamesWithOrWithoutBrackets() {
        for (ValueType t : ValueType.values()) {
            assertEquals(t, ValueType.of(t.schemaName()));
        }
        assertEquals(ValueType.INTEGER, ValueType.of("<integer>"));
        assertEquals(ValueType.DICTIONARY, ValueType.of("dictionary"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ValueType.of("<float>"));
        assertTrue(e.getMessage().contains("<real>"), e.getMessage());
    }

    @Test
    void acceptsOnlyThePlainJavaPlistTypes() {
        assertTrue(ValueType.INTEGER.accepts(5L));
        assertFalse(ValueType.INTEGER.accepts(5), "integers cross the API as Long");
        assertTrue(ValueType.REAL.accepts(1.5));
        assertFalse(ValueType.REAL.accepts(1.5f));
        assertTrue(ValueType.DATA.accepts(new byte[0]));
        assertTrue(ValueType.DATE.accepts(Instant.EPOCH));
        assertTrue(ValueType.ARRAY.accepts(List.of()));
        assertTrue(ValueType.DICTIONARY.accepts(Map.of()));
        assertFalse(ValueType.STRING.accepts(null));
        assertTrue(ValueType.ANY.accepts("x"));
        assertFalse(ValueType.ANY.accepts(new Object()));
        assertFalse(ValueType.ANY.accepts(null));
    }

    @Test
    void classifiesValuesAndNamesThemWithoutShowingThem() {
        assertEquals(Optional.of(ValueType.BOOLEAN), ValueType.ofValue(true));
        assertEquals(Optional.empty(), ValueType.ofValue(7));
        assertEquals("<string>", ValueType.describe("secret passcode"));
        assertEquals("java.lang.Integer", ValueType.describe(7));
        assertEquals("nothing", ValueType.describe(null));
    }
}
