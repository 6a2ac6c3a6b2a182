package io.verger.simulator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        long jit = self.jitCpuNanos();
        assertTrue(jit >= 0 && jit <= self.cpuNanos(), "this JVM's compiler threads used " + jit + " ns");
    }

    @Test
    void jitCompilerThreadsAreTheC1AndC2CompilerThreadsOnly() {
        assertTrue(ServerProbe.isJitCompiler("101 (C2 CompilerThre) S 1 2 3 0 -1 0 0 0 0 0 70 5 0 0 20 0 1 0 5 0 0"));
        assertTrue(ServerProbe.isJitCompiler("102 (C1 CompilerThre) S 1 2 3 0 -1 0 0 0 0 0 7 1 0 0 20 0 1 0 5 0 0"));
        assertFalse(ServerProbe.isJitCompiler("103 (qtp1416340477-4) S 1 2 3 0 -1 0 0 0 0 0 700 50 0 0 20 0 1 0 5 0 0"));
        assertFalse(ServerProbe.isJitCompiler("104 (GC Thread#0) S 1 2 3 0 -1 0 0 0 0 0 70 5 0 0 20 0 1 0 5 0 0"));
        assertFalse(ServerProbe.isJitCompiler("105 (x (C2 CompilerThre)) S 1 2 3 0 -1 0 0 0 0 0 70 5 0 0 20 0 1 0 5 0 0"));
    }
}
