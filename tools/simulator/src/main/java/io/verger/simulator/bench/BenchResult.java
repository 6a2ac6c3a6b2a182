package io.verger.simulator.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The figures of one benchmark run. {@code units} are what the benchmark counts (idle connects, drained devices,
 * enrollments); {@code exchanges} are HTTP request/response pairs. Server CPU is -1 when no server pid was given.
 */
public record BenchResult(String name, int connections, long elapsedNanos, long units, LatencyHistogram latency, long[] statuses, long ioErrors,
        long unexpected, long driverCpuNanos, long serverCpuNanos, long serverRssBytes, long tlsConnects, long driverProcessCpuNanos,
        long serverJitCpuNanos) {

    /** Without the driver process's CPU time and the server's JIT compiler time (-1: not measured). */
    public BenchResult(String name, int connections, long elapsedNanos, long units, LatencyHistogram latency, long[] statuses, long ioErrors,
            long unexpected, long driverCpuNanos, long serverCpuNanos, long serverRssBytes, long tlsConnects) {
        this(name, connections, elapsedNanos, units, latency, statuses, ioErrors, unexpected, driverCpuNanos, serverCpuNanos, serverRssBytes,
                tlsConnects, -1, -1);
    }

    public long exchanges() {
        return latency.count();
    }

    public double seconds() {
        return elapsedNanos / 1e9;
    }

    public double unitsPerSecond() {
        return elapsedNanos == 0 ? 0 : units / seconds();
    }

    public long errors() {
        long e = ioErrors + unexpected;
        for (int s = 0; s < statuses.length; s++) {
            if (s != 200 && s != 204) {
                e += statuses[s];
            }
        }
        return e;
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    public void print(PrintStream out, String unitName) {
        out.printf(Locale.ROOT, "%s  connections=%d%n", name, connections);
        out.printf(Locale.ROOT, "  %-14s %d in %.3f s = %.0f %s/s (%d HTTP exchanges, %.0f/s)%n", unitName + "s", units, seconds(), unitsPerSecond(),
                unitName, exchanges(), exchanges() / Math.max(seconds(), 1e-9));
        out.printf(Locale.ROOT, "  %-14s p50 %s  p90 %s  p99 %s  max %s  (per exchange)%n", "latency", ms(latency.percentile(50)),
                ms(latency.percentile(90)), ms(latency.percentile(99)), ms(latency.max()));
        StringBuilder st = new StringBuilder();
        for (int s = 0; s < statuses.length; s++) {
            if (statuses[s] > 0) {
                st.append(s == 0 ? "other" : Integer.toString(s)).append(": ").append(statuses[s]).append("  ");
            }
        }
        out.printf(Locale.ROOT, "  %-14s %s%n", "statuses", st.toString().trim());
        out.printf(Locale.ROOT, "  %-14s %d opened for %d connections (more: the server closed keep-alive connections)%n", "TCP/TLS", tlsConnects,
                connections);
        out.printf(Locale.ROOT, "  %-14s %d (I/O %d, unexpected answers %d, non-2xx %d)%n", "errors", errors(), ioErrors, unexpected,
                errors() - ioErrors - unexpected);
        if (serverCpuNanos >= 0) {
            out.printf(Locale.ROOT, "  %-14s %.0f µs per exchange, %.0f µs per %s (%.2f s of CPU over %.2f s, 10 ms ticks); RSS %d MB%n", "server CPU",
                    serverCpuNanos / 1e3 / Math.max(1, exchanges()), serverCpuNanos / 1e3 / Math.max(1, units), unitName, serverCpuNanos / 1e9, seconds(),
                    serverRssBytes >> 20);
            if (serverJitCpuNanos >= 0) {
                out.printf(Locale.ROOT, "  %-14s %.0f µs per exchange, %.0f µs per %s (%.2f s): the server's JIT compiler threads, included above; "
                        + "without them %.0f µs per %s%n", "  of which JIT", serverJitCpuNanos / 1e3 / Math.max(1, exchanges()),
                        serverJitCpuNanos / 1e3 / Math.max(1, units), unitName, serverJitCpuNanos / 1e9,
                        (serverCpuNanos - serverJitCpuNanos) / 1e3 / Math.max(1, units), unitName);
            }
        }
        out.printf(Locale.ROOT, "  %-14s %.1f µs per exchange (the load driver's connection threads)%n", "driver CPU",
                driverCpuNanos / 1e3 / Math.max(1, exchanges()));
        if (driverProcessCpuNanos >= 0) {
            out.printf(Locale.ROOT, "  %-14s %.1f µs per exchange (%.2f s: the whole driver JVM, with its JIT compiler and GC)%n", "driver process",
                    driverProcessCpuNanos / 1e3 / Math.max(1, exchanges()), driverProcessCpuNanos / 1e9);
        }
        out.printf(Locale.ROOT, "RESULT\t%s\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.0f\t%.1f\t%d\t%d\t%.3f\t%.0f%n", name, connections, unitsPerSecond(),
                latency.percentile(50) / 1e6, latency.percentile(90) / 1e6, latency.percentile(99) / 1e6, latency.max() / 1e6,
                serverCpuNanos < 0 ? -1.0 : serverCpuNanos / 1e3 / Math.max(1, exchanges()), driverCpuNanos / 1e3 / Math.max(1, exchanges()),
                serverRssBytes >> 20, errors(), seconds(), serverJitCpuNanos < 0 ? -1.0 : serverJitCpuNanos / 1e3 / Math.max(1, exchanges()));
    }

    public static final String RESULT_HEADER =
            "RESULT\tbench\tconns\tunits/s\tp50ms\tp90ms\tp99ms\tmaxms\tsrvCPUus/req\tdrvCPUus/req\trssMB\terrors\tseconds\tsrvJITus/req";
}
