package io.verger.policies.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.verger.api.Platform;
import io.verger.api.policy.SettingsValidationException;

class PolicyFactsTest {

    private static final String JSON = """
            {"commands": [{"requestType": "com.example.passcode", "title": "Passcode", "multiple": true,
              "platforms": {"iOS": {"introduced": "4.0", "channels": ["DEVICE"]}},
              "parameters": [{"key": "minLength", "type": "integer", "allowed": [4, 6]},
                             {"key": "forcePIN", "type": "boolean", "required": true}]}]}
            """;

    private static SchemaPolicyModule module() throws Exception {
        PolicyFacts facts = PolicyFacts.parse(new ByteArrayInputStream(JSON.getBytes(StandardCharsets.UTF_8)));
        return new SchemaPolicyModule(facts.payload("com.example.passcode"));
    }

    @Test
    void describesPayloadFromFacts() throws Exception {
        SchemaPolicyModule m = module();
        assertEquals("com.example.passcode", m.payloadType());
        assertTrue(m.describe().multiple());
        assertTrue(m.describe().on(Platform.IOS).isPresent());
        assertEquals(2, m.describe().settings().size());
    }

    @Test
    void buildsOnePayloadOfTheSettings() throws Exception {
        assertEquals(Map.of("forcePIN", true, "minLength", 6L),
                module().buildPayloads(Map.of("forcePIN", true, "minLength", 6L)).get(0));
    }

    @Test
    void refusesMissingRequiredSettingNamingIt() throws Exception {
        SettingsValidationException e = assertThrows(SettingsValidationException.class,
                () -> module().validate(Map.of("minLength", 4L)));
        assertEquals("forcePIN", e.key());
    }

    @Test
    void refusesValueOutsideAllowedNamingKey() throws Exception {
        SettingsValidationException e = assertThrows(SettingsValidationException.class,
                () -> module().buildPayloads(Map.of("forcePIN", true, "minLength", 5L)));
        assertEquals("minLength", e.key());
    }
}
