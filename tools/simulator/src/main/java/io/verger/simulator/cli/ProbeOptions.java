package io.verger.simulator.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import io.verger.simulator.bench.ServerProbe;
import picocli.CommandLine.Option;

/** Which server process to measure (CPU time and RSS from /proc). */
public final class ProbeOptions {

    @Option(names = "--server-pid", description = "pid of the server process, for its CPU time and resident memory")
    Long pid;

    @Option(names = "--verger-home", description = "a Verger installation: the pid is read from <home>/data/verger.pid (or --verger-data)")
    Path home;

    @Option(names = "--verger-data", description = "Verger's data directory, holding verger.pid")
    Path data;

    @Option(names = "--clk-tck", defaultValue = "100", description = "clock ticks per second of /proc/<pid>/stat (default: ${DEFAULT-VALUE})")
    long clkTck;

    ServerProbe probe() throws Exception {
        Long p = pid;
        if (p == null) {
            Path dir = data != null ? data : home != null ? home.resolve("data") : null;
            if (dir != null) {
                Path file = dir.resolve("verger.pid");
                if (!Files.exists(file)) {
                    throw new IllegalArgumentException(file + " does not exist: is the server running (bin/verger start)?");
                }
                p = ServerProbe.readPidFile(file);
            }
        }
        if (p == null) {
            return null;
        }
        if (!Files.exists(Path.of("/proc", p.toString(), "stat"))) {
            throw new IllegalArgumentException("no process " + p + " (from --server-pid or verger.pid)");
        }
        return new ServerProbe(p, clkTck);
    }
}
