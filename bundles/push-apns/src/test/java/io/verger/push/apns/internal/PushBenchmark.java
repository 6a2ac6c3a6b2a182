package io.verger.push.apns.internal;

import io.verger.api.push.PushOutcome;
import io.verger.api.push.PushResult;
import io.verger.api.push.PushTarget;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Load driver, not a test (Surefire does not run it): pushes 10,000 and 100,000 tokens to Pushy's
 * MockApnsServer on 127.0.0.1 and prints pushes per second and CPU time per push. The mock runs in this
 * JVM, so the CPU time is the provider's and the mock's together.
 *
 * <p>Run from {@code bundles/push-apns} after {@code mvn test-compile}:
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat cp.txt):target/classes:target/test-classes" io.verger.push.apns.internal.PushBenchmark [concurrency [connectionsPerTopic]]
 * </pre>
 * A 20,000-push warm-up (TLS handshake, JIT) runs first and is not counted.
 */
public final class PushBenchmark {

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        TestPki pki = new TestPki();
        Path dir = Files.createTempDirectory("push-bench");
        try (MockApns mock = new MockApns(pki, 2)) {
            mock.recordRequests = false;
            InMemoryPushCertStore store = new InMemoryPushCertStore();
            String topic = TestPki.newTopic();
            store.store(pki.pushCertificate(topic));
            ApnsPushProvider provider = new ApnsPushProvider(TestConfig.forMock(mock, pki.caPemFile(dir))
                    .set("concurrency", concurrency).set("connectionsPerTopic", connections).build(), store);
            try {
                run(provider, topic, 20_000, "warm-up");
                run(provider, topic, 10_000, "10k");
                run(provider, topic, 100_000, "100k");
                System.out.println("metrics " + provider.metrics());
            } finally {
                provider.deactivate();
            }
        }
    }

    private static void run(ApnsPushProvider provider, String topic, int n, String label) throws Exception {
        List<PushTarget> targets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            targets.add(ApnsPushProviderTest.target(topic, "magic-" + i));
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        List<PushResult> results = provider.push(targets).toCompletableFuture().get(10, TimeUnit.MINUTES);
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long delivered = results.stream().filter(r -> r.outcome() == PushOutcome.DELIVERED).count();
        System.out.printf("%-8s %,9d pushes  delivered %,9d  wall %7.3f s  %,10.0f pushes/s  process CPU %7.3f s (%5.1f µs/push, %4.2f cores)  threads %d%n",
                label, n, delivered, wall / 1e9, n / (wall / 1e9), cpu / 1e9, cpu / 1e3 / n, (double) cpu / wall,
                threads.getThreadCount());
    }
}
