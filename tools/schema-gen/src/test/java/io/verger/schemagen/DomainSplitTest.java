package io.verger.schemagen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.verger.api.command.CommandType;

class DomainSplitTest {

    @Test
    void theEightDomainBundlesTogetherInstallAppleSixtySixRequestTypesOnceEach() throws Exception {
        Map<String, List<Object>> types = InstalledTypes.all(); // throws on a duplicate
        assertEquals(66, types.size(), "RequestTypes: " + types.keySet());
        types.forEach((rt, v) -> {
            CommandType t = (CommandType) v.get(1);
            assertEquals(rt, t.requestType());
            assertEquals(rt, t.describe().requestType());
        });
    }
}
