package io.verger.simulator.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.verger.api.CommandStatus;
import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.CommandQueue;
import io.verger.api.storage.CommandResult;
import io.verger.api.storage.DeviceFacts;
import io.verger.api.storage.QueuedCommand;
import io.verger.api.storage.TokenUpdate;
import io.verger.storage.jpa.internal.EmbeddedDerbyStores;

/**
 * The next-command lookup of the storage bundle (`CommandQueue.next`) on embedded Derby, as the server's engine calls it
 * for every device request, over a fleet of {@code devices} enrolled channels in a fresh database (a temporary
 * directory) whose queue also holds history: every device has {@code history} completed commands.
 * <ul>
 * <li>{@code pending}: the device has two commands queued: the index probe of its pending rows, then the command by
 * id;</li>
 * <li>{@code pendingKnown}: the device has one command queued, which a lookup found before: answered from the hints'
 * "sole pending command" and their cache of command bodies, without a query (embedded Derby only);</li>
 * <li>{@code emptyByQuery}: the device's only pending command was answered NotNow and the engine asks, as after a
 * report, for commands that were not: the probe runs and finds nothing;</li>
 * <li>{@code emptyKnown}: an idle device with nothing pending, asked before: answered from the "nothing pending" hint
 * without a query (embedded Derby only).</li>
 * </ul>
 * Each invocation takes the next device round-robin, so the page cache sees the whole fleet.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NextCommandBenchmark {

    @Param("10000")
    int devices;

    @Param("2")
    int history;

    private Path dir;
    private EmbeddedDerbyStores stores;
    private CommandQueue queue;
    private EnrollmentId[] withPending;
    private EnrollmentId[] withSole;
    private EnrollmentId[] withNotNow;
    private EnrollmentId[] idle;
    private int i;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("verger-jmh-next");
        stores = EmbeddedDerbyStores.open(dir);
        queue = stores.queue();
        Instant t = Instant.parse("2026-11-28T00:00:00Z");
        List<EnrollmentId> all = new ArrayList<>();
        for (int n = 0; n < devices; n++) {
            EnrollmentId id = EnrollmentId.device(String.format("00008110-%016X", 0x5EED0000L + n));
            stores.enrollments().authenticate(id, EnrollmentType.DEVICE, DeviceFacts.NONE, t);
            stores.enrollments().tokenUpdate(new TokenUpdate(new PushTarget(id, new byte[32], "magic", "com.apple.mgmt.External.jmh"),
                    null, false, null, null, t));
            all.add(id);
        }
        for (int h = 0; h < history; h++) { // completed commands: rows the pending probe must not be slowed by
            QueuedCommand done = command(t);
            queue.enqueue(done, all);
            for (EnrollmentId id : all) {
                queue.report(new CommandResult(id, done.commandUuid(), CommandStatus.ACKNOWLEDGED, ack(done.commandUuid()), List.of(), t));
            }
        }
        int quarter = devices / 4;
        withPending = all.subList(0, quarter).toArray(EnrollmentId[]::new);
        withNotNow = all.subList(quarter, 2 * quarter).toArray(EnrollmentId[]::new);
        withSole = all.subList(2 * quarter, 3 * quarter).toArray(EnrollmentId[]::new);
        idle = all.subList(3 * quarter, devices).toArray(EnrollmentId[]::new);
        queue.enqueue(command(t), List.of(withPending));
        queue.enqueue(command(t), List.of(withPending));
        queue.enqueue(command(t), List.of(withSole));
        QueuedCommand later = command(t);
        queue.enqueue(later, List.of(withNotNow));
        for (EnrollmentId id : withNotNow) {
            queue.report(new CommandResult(id, later.commandUuid(), CommandStatus.NOT_NOW, ack(later.commandUuid()), List.of(), t));
        }
        Instant now = t.plusSeconds(1);
        for (EnrollmentId id : idle) {
            check(queue.next(id, false, now).isEmpty(), "an idle device has nothing pending");
        }
        for (EnrollmentId id : withSole) {
            check(queue.next(id, false, now).isPresent(), "a device with a queued command gets it");
        }
        check(queue.next(withPending[0], false, now).isPresent(), "a device with queued commands gets one");
        check(queue.next(withNotNow[0], true, now).isEmpty(), "a NotNow'd command is skipped after a report");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark fixture broken: " + what);
        }
    }

    private static QueuedCommand command(Instant t) {
        String uuid = UUID.randomUUID().toString().toUpperCase();
        byte[] plist = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\"><dict><key>CommandUUID</key><string>" + uuid
                + "</string><key>Command</key><dict><key>RequestType</key><string>DeviceInformation</string><key>Queries</key>"
                + "<array><string>DeviceName</string><string>OSVersion</string><string>SerialNumber</string></array></dict></dict></plist>")
                .getBytes(StandardCharsets.UTF_8);
        return QueuedCommand.of(uuid, "DeviceInformation", plist, t);
    }

    private static byte[] ack(String uuid) {
        return ("<plist><dict><key>Status</key><string>Acknowledged</string><key>CommandUUID</key><string>" + uuid
                + "</string></dict></plist>").getBytes(StandardCharsets.UTF_8);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        stores.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Instant now = Instant.parse("2026-11-28T00:00:01Z");

    @Benchmark
    public Optional<QueuedCommand> pending() {
        return queue.next(withPending[i++ % withPending.length], false, now);
    }

    @Benchmark
    public Optional<QueuedCommand> pendingKnown() {
        return queue.next(withSole[i++ % withSole.length], false, now);
    }

    @Benchmark
    public Optional<QueuedCommand> emptyByQuery() {
        return queue.next(withNotNow[i++ % withNotNow.length], true, now);
    }

    @Benchmark
    public Optional<QueuedCommand> emptyKnown() {
        return queue.next(idle[i++ % idle.length], false, now);
    }
}
