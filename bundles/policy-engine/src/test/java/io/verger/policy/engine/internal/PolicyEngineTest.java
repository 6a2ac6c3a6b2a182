package io.verger.policy.engine.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyEngineTest {

    @Test
    void withoutAPolicyTargetStoreGroupsAndTargetsAnswer503NamingTheService() {
        ApiException e = assertThrows(ApiException.class, () -> new PolicyEngine().targets());
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("PolicyTargetStore"), e.getMessage());
    }
}
