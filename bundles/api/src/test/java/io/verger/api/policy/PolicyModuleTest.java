package io.verger.api.policy;

import io.verger.api.Platform;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PlatformSupport;
import io.verger.api.schema.ValueType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PolicyModuleTest {

    /** A passcode module shaped after com.apple.mobiledevice.passwordpolicy. */
    private final PolicyModule passcode = new PolicyModule() {
        private final PolicyDescription description = new PolicyDescription("com.apple.mobiledevice.passwordpolicy",
                "Passcode", "", List.of(
                        PayloadKey.optional("allowSimple", ValueType.BOOLEAN, "").withDefault(true),
                        PayloadKey.optional("minLength", ValueType.INTEGER, "").withRange(0L, 16L)),
                Map.of(Platform.IOS, PlatformSupport.since("4.0")), true);

        @Override
        public String payloadType() {
            return "com.apple.mobiledevice.passwordpolicy";
        }

        @Override
        public PolicyDescription describe() {
            return description;
        }

        @Override
        public List<Map<String, Object>> buildPayloads(Map<String, Object> settings) throws SettingsValidationException {
            validate(settings);
            return List.of(settings);
        }
    };

    @Test
    void defaultValidateChecksSettingsAgainstTheDescription() {
        assertDoesNotThrow(() -> passcode.validate(Map.of("allowSimple", false, "minLength", 6L)));
        SettingsValidationException e = assertThrows(SettingsValidationException.class,
                () -> passcode.validate(Map.of("minLength", 40L)));
        assertEquals("minLength", e.key());
        assertEquals("minLength: expected at most 16, found 40", e.getMessage());
    }

    @Test
    void buildRejectsWhatValidateRejects() {
        assertThrows(SettingsValidationException.class, () -> passcode.buildPayloads(Map.of("allowSimple", "no")));
    }

    @Test
    void descriptionNeedsAPayloadTypeAndAPlatform() {
        assertThrows(IllegalArgumentException.class,
                () -> new PolicyDescription(" ", "Passcode", "", List.of(), Map.of(Platform.IOS, PlatformSupport.since("4.0")), true));
        assertThrows(IllegalArgumentException.class,
                () -> new PolicyDescription("com.apple.wifi.managed", "Wi-Fi", "", List.of(), Map.of(), true));
    }
}
