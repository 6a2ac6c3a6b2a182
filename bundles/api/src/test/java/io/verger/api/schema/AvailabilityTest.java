package io.verger.api.schema;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvailabilityTest {

    @Test
    void readsSchemaModes() {
        assertEquals(Availability.FORBIDDEN, Availability.of("forbidden"));
        assertEquals("ignored", Availability.IGNORED.schemaName());
        assertThrows(IllegalArgumentException.class, () -> Availability.of("maybe"));
    }

    @Test
    void forbiddenBlocksOnlyWhenTheModeIsInEffectAndRequiredOnlyWhenItIsNot() {
        assertFalse(Availability.FORBIDDEN.permits(true));
        assertTrue(Availability.FORBIDDEN.permits(false));
        assertTrue(Availability.REQUIRED.permits(true));
        assertFalse(Availability.REQUIRED.permits(false));
        assertTrue(Availability.ALLOWED.permits(true));
        assertTrue(Availability.IGNORED.permits(true));
    }
}
