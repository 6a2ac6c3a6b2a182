package io.verger.simulator.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import io.verger.simulator.http.Http1Connection;
import io.verger.simulator.http.ServerEndpoint;

/**
 * Runs ready-made requests over {@code connections} keep-alive connections, one thread each, and measures the
 * server from outside: throughput, latency per exchange, status counts, the server's CPU time and memory, and
 * the driver's own CPU time (so it can be told apart). Connections are opened before the clock starts.
 */
public final class LoadDriver {

    /** One unit of work on a connection (e.g. one Idle, or Idle + Acknowledged); records each exchange. */
    @FunctionalInterface
    public interface Job {
        /**
         * @param unit the unit number (0, 1, 2, … across all threads)
         * @return false when there is no more work
         */
        boolean run(long unit, Http1Connection connection, Recorder recorder) throws IOException;
    }

    /** Per-thread recording of exchanges. */
    public static final class Recorder {
        final LatencyHistogram histogram = new LatencyHistogram();
        final long[] statuses = new long[600];
        long ioErrors;
        long unexpected;
        long completed;
        long cpu;
        int connects;
        boolean measuring;

        public void exchange(long nanos, int status) {
            if (measuring) {
                histogram.record(nanos);
                statuses[status < 0 || status >= 600 ? 0 : status]++;
            }
        }

        public void ioError() {
            if (measuring) {
                ioErrors++;
            }
        }

        /** A 200 whose content was not what the protocol step expects (e.g. no command where one was queued). */
        public void unexpected() {
            if (measuring) {
                unexpected++;
            }
        }
    }

    /** How long and how much: {@code units} bounds the number of units (≤ 0: unbounded), {@code seconds} the time. */
    public record Limits(int connections, double warmupSeconds, double seconds, long units) {
    }

    private final ServerEndpoint endpoint;
    private final ServerProbe server;

    public LoadDriver(ServerEndpoint endpoint, ServerProbe server) {
        this.endpoint = endpoint;
        this.server = server;
    }

    public BenchResult run(String name, Limits limits, IntFunction<Job> jobPerThread) throws Exception {
        int n = limits.connections();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        AtomicLong warmupUnits = new AtomicLong();
        AtomicLong units = new AtomicLong();
        CountDownLatch connected = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        Recorder[] recorders = new Recorder[n];
        List<Thread> threads = new ArrayList<>();
        long[] lastEnd = new long[n];
        Throwable[] failures = new Throwable[n];
        boolean warmup = limits.warmupSeconds() > 0;
        long[] phase = new long[2]; // [0] = measure start, [1] = stop deadline (set before go)
        Job[] jobs = new Job[n];
        for (int t = 0; t < n; t++) {
            jobs[t] = jobPerThread.apply(t);
        }
        Runnable[] bodies = new Runnable[n];
        for (int t = 0; t < n; t++) {
            final int ti = t;
            recorders[t] = new Recorder();
            bodies[t] = () -> {
                Http1Connection c = new Http1Connection(endpoint);
                try {
                    try {
                        c.connect();
                    } catch (IOException e) {
                        failures[ti] = e;
                    }
                    connected.countDown();
                    go.await();
                    Recorder r = recorders[ti];
                    Job job = jobs[ti];
                    // warm-up: the same work, unrecorded, on a separate counter (so measured units start at 0)
                    if (warmup) {
                        long warmEnd = phase[0];
                        while (System.nanoTime() < warmEnd) {
                            if (!job.run(-1 - warmupUnits.getAndIncrement(), c, r)) {
                                break;
                            }
                        }
                    }
                    r.measuring = true;
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    long deadline = phase[1];
                    while (true) {
                        long unit = units.getAndIncrement();
                        if ((limits.units() > 0 && unit >= limits.units()) || System.nanoTime() >= deadline) {
                            break;
                        }
                        if (!job.run(unit, c, r)) {
                            break;
                        }
                        r.completed++;
                        lastEnd[ti] = System.nanoTime();
                    }
                    r.cpu = mx.getCurrentThreadCpuTime() - cpu0;
                } catch (Throwable e) {
                    failures[ti] = e;
                } finally {
                    recorders[ti].connects = c.connects();
                    c.close();
                    done.countDown();
                }
            };
        }
        for (int t = 0; t < n; t++) {
            Thread th = new Thread(bodies[t], "driver-" + t);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        connected.await();
        for (int t = 0; t < n; t++) {
            if (failures[t] != null) {
                throw new IOException("connection " + t + " to " + endpoint.host() + ":" + endpoint.port() + " failed: " + failures[t], failures[t]);
            }
        }
        long start = System.nanoTime();
        phase[0] = start + (long) (limits.warmupSeconds() * 1e9);
        phase[1] = limits.seconds() > 0 ? phase[0] + (long) (limits.seconds() * 1e9) : Long.MAX_VALUE;
        go.countDown();
        long sleep = phase[0] - System.nanoTime();
        if (sleep > 0) {
            Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
        long measureStart = System.nanoTime();
        long serverCpu0 = server == null ? 0 : server.cpuNanos();
        long serverJit0 = server == null ? 0 : server.jitCpuNanos();
        long processCpu0 = processCpuNanos();
        done.await();
        long serverCpu1 = server == null ? 0 : server.cpuNanos();
        long serverJit1 = server == null ? 0 : server.jitCpuNanos();
        long processCpu1 = processCpuNanos();
        long rss = server == null ? 0 : server.rssBytes();
        long end = measureStart;
        for (long e : lastEnd) {
            end = Math.max(end, e);
        }
        for (int t = 0; t < n; t++) {
            if (failures[t] != null) {
                throw new IOException("driver thread " + t + " failed: " + failures[t], failures[t]);
            }
        }
        LatencyHistogram all = new LatencyHistogram();
        long[] statuses = new long[600];
        long ioErrors = 0;
        long unexpected = 0;
        long driverCpu = 0;
        long measuredUnits = 0;
        long connects = 0;
        for (int t = 0; t < n; t++) {
            all.merge(recorders[t].histogram);
            for (int s = 0; s < 600; s++) {
                statuses[s] += recorders[t].statuses[s];
            }
            ioErrors += recorders[t].ioErrors;
            unexpected += recorders[t].unexpected;
            driverCpu += recorders[t].cpu;
            connects += recorders[t].connects;
            measuredUnits += recorders[t].completed;
        }
        return new BenchResult(name, n, end - measureStart, measuredUnits, all, statuses, ioErrors, unexpected, driverCpu,
                server == null ? -1 : serverCpu1 - serverCpu0, rss, connects, processCpu0 < 0 || processCpu1 < 0 ? -1 : processCpu1 - processCpu0,
                server == null ? -1 : serverJit1 - serverJit0);
    }

    /** @return this JVM's CPU time, all threads, or -1 where the platform does not tell */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
