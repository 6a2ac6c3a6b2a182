package io.verger.policies.standard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.verger.api.policy.SettingsValidationException;
import io.verger.policies.support.SchemaPolicyModule;

class ApplePayloadsTest {

    @Test
    void describesTheNamedPayloadTypesAndManyMore() {
        for (String pt : List.of("com.apple.mobiledevice.passwordpolicy", "com.apple.applicationaccess",
                "com.apple.webcontent-filter", "com.apple.wifi.managed", "com.apple.vpn.managed", "com.apple.mail.managed",
                "com.apple.eas.account", "com.apple.security.root", "com.apple.security.pkcs1")) {
            assertEquals(pt, ApplePayloads.FACTS.payload(pt).payloadType());
        }
        assertTrue(ApplePayloads.FACTS.payloads().size() > 100);
    }

    @Test
    void restrictionsAcceptAppAccountAndInternetRestrictions() throws Exception {
        SchemaPolicyModule m = new ApplePayloads.ComAppleApplicationaccessModule();
        Map<String, Object> settings = Map.of("allowAppInstallation", false, "allowAccountModification", false,
                "allowSafari", false);
        assertEquals(settings, m.buildPayloads(settings).get(0));
    }

    @Test
    void refusesAWrongTypeNamingTheKey() {
        SchemaPolicyModule m = new ApplePayloads.ComAppleMobiledevicePasswordpolicyModule();
        SettingsValidationException e = assertThrows(SettingsValidationException.class,
                () -> m.validate(Map.of("minLength", "six")));
        assertEquals("minLength", e.key());
    }
}
