package io.verger.policy.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.verger.api.Platform;
import io.verger.api.policy.PolicyDescription;
import io.verger.api.policy.PolicyModule;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PlatformSupport;
import io.verger.api.schema.ValueType;
import io.verger.api.storage.Policy;

class ProfileBuilderTest {

    private static PolicyModule module(Map<String, Object> extra) {
        return new PolicyModule() {
            @Override
            public String payloadType() {
                return "com.apple.applicationaccess";
            }

            @Override
            public PolicyDescription describe() {
                return new PolicyDescription(payloadType(), "Restrictions", "",
                        List.of(PayloadKey.optional("allowCamera", ValueType.BOOLEAN, "")),
                        Map.of(Platform.IOS, PlatformSupport.since("4.0")), false);
            }

            @Override
            public List<Map<String, Object>> buildPayloads(Map<String, Object> settings) {
                java.util.Map<String, Object> p = new java.util.LinkedHashMap<>(settings);
                p.putAll(extra);
                return List.of(p);
            }
        };
    }

    private static Policy policy(long revision) {
        return new Policy("no-camera", "No camera", "com.apple.applicationaccess", Map.of("allowCamera", false), revision, Instant.now());
    }

    @Test
    @SuppressWarnings("unchecked")
    void profileHasStableIdentifierAndPerRevisionUuid() throws Exception {
        Map<String, Object> r1 = ProfileBuilder.profile(policy(1), module(Map.of()), "Acme");
        Map<String, Object> r2 = ProfileBuilder.profile(policy(2), module(Map.of()), "Acme");
        assertEquals("io.verger.policy.no-camera", r1.get("PayloadIdentifier"));
        assertEquals(r1.get("PayloadIdentifier"), r2.get("PayloadIdentifier"));
        assertNotEquals(r1.get("PayloadUUID"), r2.get("PayloadUUID"));
        assertEquals(r1.get("PayloadUUID"), ProfileBuilder.profile(policy(1), module(Map.of()), "Acme").get("PayloadUUID"));
        assertEquals("Configuration", r1.get("PayloadType"));
        assertEquals("Acme", r1.get("PayloadOrganization"));
        Map<String, Object> p1 = (Map<String, Object>) ((List<Object>) r1.get("PayloadContent")).get(0);
        Map<String, Object> p2 = (Map<String, Object>) ((List<Object>) r2.get("PayloadContent")).get(0);
        assertEquals("com.apple.applicationaccess", p1.get("PayloadType"));
        assertEquals(1L, p1.get("PayloadVersion"));
        assertEquals(p1.get("PayloadUUID"), p2.get("PayloadUUID"));
        assertEquals(false, p1.get("allowCamera"));
    }

    @Test
    void refusesModuleSettingIdentifiersOrAnotherType() {
        assertThrows(IllegalStateException.class, () -> ProfileBuilder.profile(policy(1), module(Map.of("PayloadUUID", "X")), null));
        assertThrows(IllegalStateException.class, () -> ProfileBuilder.profile(policy(1), module(Map.of("PayloadType", "com.apple.wifi.managed")), null));
    }

    @Test
    void policyIdsAreReadBackFromOurProfileIdentifiersOnly() {
        assertEquals("no-camera", ProfileBuilder.policyIdOf("io.verger.policy.no-camera"));
        assertNull(ProfileBuilder.policyIdOf("io.verger.policy.no-camera.0"));
        assertNull(ProfileBuilder.policyIdOf("com.example.other"));
    }

    @Test
    void commandUuidsCarryPolicyAndRevision() {
        String uuid = new PolicyEngine.PolicyCommand(true, "no-camera", 7).commandUuid(new java.security.SecureRandom());
        PolicyEngine.PolicyCommand pc = PolicyEngine.PolicyCommand.parse(uuid);
        assertTrue(pc.install());
        assertEquals("no-camera", pc.policyId());
        assertEquals(7, pc.revision());
        assertNull(PolicyEngine.PolicyCommand.parse("6F2B1C1E-0000-0000-0000-000000000000"));
    }

    @Test
    void osVersionsCompareAsNumbers() {
        assertTrue(OsVersion.atLeast("17.10", "17.4"));
        assertTrue(OsVersion.atLeast("17.4", "17.4.0"));
        assertTrue(!OsVersion.atLeast("16.7.2", "17"));
    }
}
