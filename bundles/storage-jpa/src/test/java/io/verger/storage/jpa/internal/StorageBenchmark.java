package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.CommandQueue;
import io.verger.api.storage.DeviceFacts;
import io.verger.api.storage.EnrollmentStore;
import io.verger.api.storage.QueuedCommand;
import io.verger.api.storage.TokenUpdate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A bounded micro-benchmark (not a test) of the idle check-in hot path, {@code next()} then
 * {@code seen()}, with 1,000 enrollments (one in ten with a queued command), on embedded Derby and,
 * if reachable, PostgreSQL at 127.0.0.1:5432. Run from bundles/storage-jpa after a build:
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.verger.storage.jpa.internal.StorageBenchmark
 * </pre>
 */
public final class StorageBenchmark {

    private static final int ENROLLMENTS = 1000;
    private static final int WARMUP = 30_000;
    private static final int MEASURED = 60_000;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("verger-bench");
        Database derby = Database.open(StorageSettings.derby(dir));
        try {
            run("Derby (embedded)", derby);
        } finally {
            derby.close();
        }
        PostgreSqlTestDatabase pg;
        try {
            pg = PostgreSqlTestDatabase.create();
        } catch (Throwable unreachable) {
            System.out.println("PostgreSQL: skipped (" + unreachable.getMessage() + ")");
            return;
        }
        try {
            Database db = Database.open(StorageSettings.derby(dir).withUrl(pg.url()).withUser(PostgreSqlTestDatabase.USER, ""));
            try {
                run("PostgreSQL 127.0.0.1", db);
            } finally {
                db.close();
            }
        } finally {
            pg.drop();
        }
    }

    private static void run(String name, Database db) throws Exception {
        EnrollmentStore enrollments = new JdbcEnrollmentStore(db);
        CommandQueue queue = new JdbcCommandQueue(db);
        Instant t0 = Instant.now();
        List<EnrollmentId> ids = new ArrayList<>();
        for (int i = 0; i < ENROLLMENTS; i++) {
            EnrollmentId id = EnrollmentId.device(String.format("BENCH-%08d", i));
            enrollments.authenticate(id, EnrollmentType.DEVICE, DeviceFacts.NONE, t0);
            enrollments.tokenUpdate(new TokenUpdate(new PushTarget(id, new byte[32], "magic", "topic"), null, false, null, null, t0));
            if (i % 10 == 0) {
                queue.enqueue(QueuedCommand.of("CMD-" + i, "DeviceInformation", new byte[600], t0), List.of(id));
            }
            ids.add(id);
        }
        loop(enrollments, queue, ids, WARMUP, 0);
        long cpu0 = cpuNanos();
        long start = System.nanoTime();
        long[] split = loop(enrollments, queue, ids, MEASURED, 0);
        long wall = System.nanoTime() - start;
        long cpu = cpuNanos() - cpu0;
        System.out.printf("%s, 1 thread, %,d check-ins: next() %.1f µs, seen() %.1f µs, next()+seen() %.1f µs wall, %.1f µs CPU of this JVM per check-in%n",
                name, MEASURED, split[0] / 1000.0 / MEASURED, split[1] / 1000.0 / MEASURED, wall / 1000.0 / MEASURED,
                cpu / 1000.0 / MEASURED);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            cpu0 = cpuNanos();
            start = System.nanoTime();
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 250;
                futures.add(pool.submit(() -> loop(enrollments, queue, ids, MEASURED / threads, offset)));
            }
            for (Future<long[]> f : futures) {
                f.get();
            }
            wall = System.nanoTime() - start;
            cpu = cpuNanos() - cpu0;
            System.out.printf("%s, %d threads: %,.0f check-ins/s, %.1f µs CPU of this JVM per check-in%n",
                    name, threads, MEASURED / (wall / 1e9), cpu / 1000.0 / MEASURED);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long[] loop(EnrollmentStore enrollments, CommandQueue queue, List<EnrollmentId> ids, int n, int offset) {
        long nextNanos = 0;
        long seenNanos = 0;
        for (int i = 0; i < n; i++) {
            EnrollmentId id = ids.get((i * 7 + offset) % ids.size());
            Instant now = Instant.now();
            long a = System.nanoTime();
            queue.next(id, false, now);
            long b = System.nanoTime();
            enrollments.seen(id, now);
            seenNanos += System.nanoTime() - b;
            nextNanos += b - a;
        }
        return new long[] {nextNanos, seenNanos};
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
