package com.example.verger.kiosk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.verger.api.policy.SettingsValidationException;

class KioskPolicyModuleTest {

    private final KioskPolicyModule module = new KioskPolicyModule();

    @Test
    void buildsOnePayloadWithDefaultsAndNoIdentifiers() throws Exception {
        Map<String, Object> p = module.buildPayloads(Map.of("AppBundleIdentifier", "com.example.signage")).get(0);
        assertEquals("com.example.signage", p.get("AppBundleIdentifier"));
        assertEquals(false, p.get("AllowExit"));
        assertEquals(10L, p.get("IdleMinutes"));
        assertFalse(p.containsKey("PayloadUUID") || p.containsKey("PayloadIdentifier"));
    }

    @Test
    void refusesAMissingAppNamingTheSetting() {
        SettingsValidationException e = assertThrows(SettingsValidationException.class, () -> module.validate(Map.of()));
        assertEquals("AppBundleIdentifier", e.key());
    }

    @Test
    void refusesIdleMinutesOutOfRange() {
        SettingsValidationException e = assertThrows(SettingsValidationException.class,
                () -> module.validate(Map.of("AppBundleIdentifier", "com.example.signage", "IdleMinutes", 1000L)));
        assertEquals("IdleMinutes", e.key());
    }

    @Test
    void refusesSomethingThatIsNotABundleIdentifier() {
        SettingsValidationException e = assertThrows(SettingsValidationException.class,
                () -> module.buildPayloads(Map.of("AppBundleIdentifier", "not an id")));
        assertEquals("AppBundleIdentifier", e.key());
    }
}
