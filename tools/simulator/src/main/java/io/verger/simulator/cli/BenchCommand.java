package io.verger.simulator.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.verger.plist.PlistCodec;
import io.verger.simulator.bench.BenchResult;
import io.verger.simulator.bench.LoadDriver;
import io.verger.simulator.bench.ServerProbe;
import io.verger.simulator.enroll.Enrollment;
import io.verger.simulator.enroll.ScepEnrollment;
import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.Hardware;
import io.verger.simulator.http.HttpResponseReader;
import io.verger.simulator.mdm.AdminApi;
import io.verger.simulator.mdm.DeviceFacts;
import io.verger.simulator.mdm.MdmClient;
import io.verger.simulator.mdm.MdmSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The replay load driver. Every request is signed before the clock starts (an Mdm-Signature covers only the body,
 * so the same signed request can be sent again); during the run the driver only writes ready-made bytes and reads
 * status lines, so what is measured is the server.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: idle connects, draining a command, enrollment rate.",
        subcommands = {BenchCommand.Idle.class, BenchCommand.Drain.class, BenchCommand.Enroll.class})
public final class BenchCommand {

    private static final PlistCodec PLIST = PlistCodec.withDefaults();

    /** Options every benchmark shares. */
    static final class Common {
        @Mixin
        ServerOptions server;

        @Mixin
        ProbeOptions probe;

        @Option(names = {"-c", "--connections"}, defaultValue = "16", description = "concurrent keep-alive connections, one thread each (default: ${DEFAULT-VALUE})")
        int connections;

        @Option(names = "--devices", defaultValue = "0", description = "use the first N devices of the state file (default: all)")
        int devices;

        void header(String what, int n, ServerProbe p) {
            System.out.printf("%s: %d devices, %d connections, %s%s; load average %s%n", what, n, connections, server.url,
                    p == null ? "" : ", server pid " + p.pid(), loadAverage());
        }
    }

    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }

    static byte[][] signIdles(MdmClient client, List<EnrolledDevice> devices) throws Exception {
        return Fleet.parallel("signing Idle", devices.size(), i -> {
            EnrolledDevice d = devices.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("UDID", d.udid());
            m.put("Status", "Idle");
            return client.reportRequest(m, new MdmSigner(d.privateKey(), d.certificate()));
        }).toArray(byte[][]::new);
    }

    @Command(name = "idle", mixinStandardHelpOptions = true,
            description = "Idle connects: one pre-signed Idle per device, sent round-robin over --connections keep-alive connections.")
    public static final class Idle implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--duration", defaultValue = "15", description = "measured seconds (default: ${DEFAULT-VALUE})")
        double duration;

        @Option(names = "--requests", defaultValue = "0", description = "stop after this many requests instead (default: time-bound)")
        long requests;

        @Option(names = "--warmup", defaultValue = "3", description = "unmeasured seconds first, for the JIT (default: ${DEFAULT-VALUE})")
        double warmup;

        @Override
        public Integer call() throws Exception {
            List<EnrolledDevice> devices = Fleet.load(common.server.state, common.devices);
            ServerProbe probe = common.probe.probe();
            byte[][] idles;
            try (MdmClient client = new MdmClient(common.server.endpoint(), common.server.paths())) {
                idles = signIdles(client, devices);
            }
            common.header("bench idle", devices.size(), probe);
            int n = idles.length;
            BenchResult r = new LoadDriver(common.server.endpoint(), probe).run("idle", new LoadDriver.Limits(common.connections, warmup,
                    requests > 0 ? 0 : duration, requests), t -> (unit, c, rec) -> {
                        byte[] req = idles[(int) Math.floorMod(unit, (long) n)];
                        long t0 = System.nanoTime();
                        HttpResponseReader.Response resp;
                        try {
                            resp = c.exchange(req, false);
                        } catch (java.io.IOException e) {
                            rec.ioError();
                            return true;
                        }
                        rec.exchange(System.nanoTime() - t0, resp.status());
                        if (resp.status() == 200 && resp.hasBody()) {
                            rec.unexpected(); // a command was queued for this device
                        }
                        return true;
                    });
            r.print(System.out, "idle connect");
            return r.errors() == 0 ? 0 : 1;
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Enqueues one command to every device (nopush), then each device connects: Idle → command → Acknowledged → empty. "
                    + "Times the first request to the last acknowledgement.")
    public static final class Drain implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--batch", defaultValue = "200", description = "device ids per enqueue request (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--warmup-drains", defaultValue = "4",
                description = "unrecorded drains (each with its own command, of at most the first 1000 devices) right before the timed one, in "
                        + "this JVM, so that the driver's own code is JIT-compiled for exactly this work before the clock. A drain of 1,000 "
                        + "devices lasts about half a second; with one warm-up drain the driver JVM's compiler still took 0.3–0.5 s of CPU "
                        + "from the server during it, with four about none (default: ${DEFAULT-VALUE})")
        int warmupDrains;

        static final int WARMUP_DEVICES = 1000;

        @Override
        public Integer call() throws Exception {
            List<EnrolledDevice> devices = Fleet.load(common.server.state, common.devices);
            ServerProbe probe = common.probe.probe();
            byte[][] idles;
            try (MdmClient client = new MdmClient(common.server.endpoint(), common.server.paths())) {
                idles = signIdles(client, devices);
            }
            List<EnrolledDevice> warmDevices = devices.subList(0, Math.min(devices.size(), WARMUP_DEVICES));
            byte[][] warmIdles = java.util.Arrays.copyOf(idles, warmDevices.size());
            for (int w = 0; w < warmupDrains; w++) {
                BenchResult warm = drain(warmDevices, warmIdles, null);
                System.out.printf("warm-up drain %d of %d: %.3f s (not recorded)%n", w + 1, warmupDrains, warm.seconds());
            }
            if (warmupDrains > 0) {
                awaitQuietCompiler(Duration.ofSeconds(10));
            }
            BenchResult r = drain(devices, idles, probe);
            r.print(System.out, "drained device");
            return r.errors() == 0 ? 0 : 1;
        }

        /** One drain: a new command enqueued to every device (not timed), then timed until every device acknowledged it. */
        private BenchResult drain(List<EnrolledDevice> devices, byte[][] idles, ServerProbe probe) throws Exception {
            String uuid = "DRAIN-" + UUID.randomUUID().toString().toUpperCase();
            List<String> queries = List.of("DeviceName", "OSVersion", "BuildVersion", "ProductName", "SerialNumber", "BatteryLevel");
            byte[][] acks;
            try (MdmClient client = new MdmClient(common.server.endpoint(), common.server.paths())) {
                acks = Fleet.parallel("signing Acknowledged", devices.size(), i -> {
                    EnrolledDevice d = devices.get(i);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("UDID", d.udid());
                    m.put("Status", "Acknowledged");
                    m.put("CommandUUID", uuid);
                    m.put("QueryResponses", new DeviceFacts(d).answer(queries));
                    return client.reportRequest(m, new MdmSigner(d.privateKey(), d.certificate()));
                }).toArray(byte[][]::new);
            }
            byte[] command = PLIST.encodeXml(Map.of("CommandUUID", uuid, "Command", Map.of("RequestType", "DeviceInformation", "Queries", queries)));
            long e0 = System.nanoTime();
            try (AdminApi api = new AdminApi(common.server.endpoint(), common.server.apiKey()); Progress p = new Progress("enqueueing", devices.size())) {
                for (int i = 0; i < devices.size(); i += batch) {
                    List<String> ids = new ArrayList<>();
                    for (EnrolledDevice d : devices.subList(i, Math.min(devices.size(), i + batch))) {
                        ids.add(d.udid());
                        p.step();
                    }
                    api.enqueue(ids, command);
                }
            }
            System.out.printf("enqueued %s to %d devices in %.2f s (not timed below)%n", uuid, devices.size(), (System.nanoTime() - e0) / 1e9);
            if (probe != null) {
                common.header("bench drain", devices.size(), probe);
            }
            byte[] uuidBytes = uuid.getBytes(StandardCharsets.UTF_8);
            return new LoadDriver(common.server.endpoint(), probe).run("drain", new LoadDriver.Limits(common.connections, 0, 0, devices.size()),
                    t -> (unit, c, rec) -> {
                        int i = (int) unit;
                        try {
                            long t0 = System.nanoTime();
                            HttpResponseReader.Response idle = c.exchange(idles[i], true);
                            long t1 = System.nanoTime();
                            rec.exchange(t1 - t0, idle.status());
                            if (idle.status() != 200 || !contains(idle.body(), uuidBytes)) {
                                rec.unexpected();
                                return true;
                            }
                            HttpResponseReader.Response ack = c.exchange(acks[i], false);
                            rec.exchange(System.nanoTime() - t1, ack.status());
                            if (ack.status() == 200 && ack.hasBody()) {
                                rec.unexpected(); // another command was queued
                            }
                        } catch (java.io.IOException e) {
                            rec.ioError();
                        }
                        return true;
                    });
        }
    }

    /**
     * Waits (at most {@code limit}) until this JVM's JIT compiler has been idle for a quarter of a second: the compiles
     * the warm-up queued would otherwise run during the timed part, on the cores the server needs. In a drain of about
     * a second they took the driver process 400–500 ms of CPU, four times its threads' own work.
     */
    static void awaitQuietCompiler(Duration limit) throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        long last = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            long now = jit.getTotalCompilationTime();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = "Enrollment rate of new devices (not added to the state file). --mode ca: identities made and check-ins (Authenticate, "
                    + "TokenUpdate) signed before the clock, then sent. --mode scep: the whole path (profile, GetCACaps, GetCACert, PKIOperation, "
                    + "Authenticate, TokenUpdate) in three timed rounds, the devices' RSA work between them off the clock.")
    public static final class Enroll implements Callable<Integer> {
        @Mixin
        Common common;

        @Mixin
        EnrollCommand.EnrollmentOptions enrollment;

        @Option(names = {"-n", "--count"}, defaultValue = "1000", description = "devices to enroll (default: ${DEFAULT-VALUE})")
        int count;

        @Option(names = "--warmup-devices", defaultValue = "5",
                description = "scep mode: devices enrolled through the whole path before the clock (JIT, connections) (default: ${DEFAULT-VALUE})")
        int warmupDevices;

        @Override
        public Integer call() throws Exception {
            if (enrollment.prefix.equals("sim")) {
                enrollment.prefix = "bench-enroll-" + Long.toHexString(System.currentTimeMillis());
            }
            try (Enrollment mode = enrollment.create(common.server)) {
                ServerProbe probe = common.probe.probe();
                if (mode instanceof ScepEnrollment scep) {
                    ScepEnrollment.Tokens tokens = enrollment.tokens(common.server);
                    try {
                        return ScepEnrollBench.run(common, scep, tokens, enrollment.prefix, count, warmupDevices, probe);
                    } finally {
                        if (tokens instanceof AutoCloseable c) {
                            c.close();
                        }
                    }
                }
                return caMode(mode, probe);
            }
        }

        private int caMode(Enrollment mode, ServerProbe probe) throws Exception {
            List<Enrollment.PreparedEnrollment> prepared;
            try (MdmClient client = new MdmClient(common.server.endpoint(), common.server.paths())) {
                prepared = Fleet.parallel("preparing identities", count, i -> {
                    try {
                        return mode.prepare(Hardware.of(enrollment.prefix, i), client);
                    } catch (Exception e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                });
            }
            common.header("bench enroll", count, probe);
            BenchResult r = new LoadDriver(common.server.endpoint(), probe).run("enroll", new LoadDriver.Limits(common.connections, 0, 0, count),
                    t -> (unit, c, rec) -> {
                        Enrollment.PreparedEnrollment p = prepared.get((int) unit);
                        try {
                            for (byte[] req : new byte[][] {p.authenticateRequest(), p.tokenUpdateRequest()}) {
                                long t0 = System.nanoTime();
                                HttpResponseReader.Response resp = c.exchange(req, false);
                                rec.exchange(System.nanoTime() - t0, resp.status());
                            }
                        } catch (java.io.IOException e) {
                            rec.ioError();
                        }
                        return true;
                    });
            r.print(System.out, "enrollment");
            return r.errors() == 0 ? 0 : 1;
        }
    }

}
