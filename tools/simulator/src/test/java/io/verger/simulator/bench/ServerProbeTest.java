package io.verger.simulator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerProbeTest {

    @Test
    void cpuTicksAreUtimePlusStimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 12345 0 12 0 1500 250 0 0 20 0 55 0 1234 999 123";
        assertEquals(1750, ServerProbe.parseCpuTicks(stat));
    }

    @Test
    void readsThisProcess() throws Exception {
        ServerProbe self = new ServerProbe(ProcessHandle.current().pid(), 100);
        assertTrue(self.rssBytes() > 1024 * 1024);
        assertTrue(self.cpuNanos() >= 0);
    }
}
