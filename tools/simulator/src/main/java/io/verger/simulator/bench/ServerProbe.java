package io.verger.simulator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server process as Linux sees it: CPU time (user + system, from {@code /proc/<pid>/stat}) and resident memory
 * ({@code VmRSS} in {@code /proc/<pid>/status}). Measures any server, whatever its language.
 */
public final class ServerProbe {

    private final long pid;
    private final long clockTicksPerSecond;

    public ServerProbe(long pid, long clockTicksPerSecond) {
        this.pid = pid;
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    public long pid() {
        return pid;
    }

    /** The pid in a pid file such as Verger's {@code <data>/verger.pid}. */
    public static long readPidFile(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }

    /** CPU time the process has used so far, in nanoseconds (10 ms resolution with CLK_TCK 100). */
    public long cpuNanos() throws IOException {
        return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) * (1_000_000_000L / clockTicksPerSecond);
    }

    /**
     * CPU time the process's JIT compiler threads have used so far, in nanoseconds: the threads a HotSpot JVM names
     * {@code C1 CompilerThread<n>} and {@code C2 CompilerThread<n>} (Linux shows the first 15 characters). 0 for a
     * server that is not a HotSpot JVM. Compiling is a warm-up cost: it falls towards nothing once the code is compiled,
     * so a benchmark reports it apart from the server's CPU. Threads that ended between two readings are not counted.
     */
    public long jitCpuNanos() throws IOException {
        long ticks = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                if (isJitCompiler(stat)) {
                    ticks += parseCpuTicks(stat);
                }
            }
        }
        return ticks * (1_000_000_000L / clockTicksPerSecond);
    }

    /** Whether a /proc/<pid>/task/<tid>/stat line is a HotSpot JIT compiler thread's. */
    static boolean isJitCompiler(String stat) {
        int open = stat.indexOf('(');
        String comm = stat.substring(open + 1, stat.lastIndexOf(')'));
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    /** Resident set size in bytes. */
    public long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    /** utime + stime (fields 14 and 15) of a /proc/<pid>/stat line; the command name may hold spaces and parentheses. */
    static long parseCpuTicks(String stat) {
        String rest = stat.substring(stat.lastIndexOf(')') + 2);
        String[] f = rest.split(" ");
        // rest starts at field 3 (state)
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
