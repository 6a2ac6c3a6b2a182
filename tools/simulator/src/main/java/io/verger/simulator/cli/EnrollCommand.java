package io.verger.simulator.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.verger.simulator.enroll.CaIssuedEnrollment;
import io.verger.simulator.enroll.CheckinEnrollment;
import io.verger.simulator.enroll.Enrollment;
import io.verger.simulator.enroll.ScepEnrollment;
import io.verger.simulator.fleet.DeviceCa;
import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.FleetState;
import io.verger.simulator.fleet.Hardware;
import io.verger.simulator.mdm.MdmClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = "Enrolls devices until the state file holds --count of them (devices already there are reused).")
public final class EnrollCommand implements Callable<Integer> {

    @Mixin
    ServerOptions server;

    @Mixin
    EnrollmentOptions enrollment;

    @Option(names = {"-n", "--count"}, required = true, description = "devices the state file should hold")
    int count;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "4", description = "enrollments in parallel (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--again", description = "first send Authenticate and TokenUpdate again for the devices the state file already holds "
            + "(same identities; for a fresh server)")
    boolean again;

    @Override
    public Integer call() throws Exception {
        List<EnrolledDevice> devices = Collections.synchronizedList(FleetState.load(server.state));
        if (again && !devices.isEmpty()) {
            reenroll(new ArrayList<>(devices.subList(0, Math.min(count, devices.size()))));
        }
        int have = devices.size();
        if (have >= count) {
            System.out.printf("%s already holds %d devices%n", server.state, have);
            return 0;
        }
        Enrollment mode = enrollment.create();
        int missing = count - have;
        AtomicInteger next = new AtomicInteger(have);
        AtomicInteger failed = new AtomicInteger();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try (Progress progress = new Progress("enrolling", missing)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                fs.add(pool.submit(() -> {
                    try (MdmClient client = new MdmClient(server.endpoint(), server.paths())) {
                        int i;
                        while ((i = next.getAndIncrement()) < count + failed.get()) {
                            try {
                                devices.add(mode.enroll(Hardware.of(enrollment.prefix, i), client));
                            } catch (UnsupportedOperationException e) {
                                throw e;
                            } catch (Exception e) {
                                // a refused or failed enrollment is reported and the next device tried; too many stop the run
                                if (failed.incrementAndGet() <= 5) {
                                    System.err.println("\nenrollment of device " + i + " failed: " + e.getMessage());
                                }
                                if (failed.get() > Math.max(10, count / 100)) {
                                    throw new IllegalStateException(failed.get() + " enrollments failed; stopping");
                                }
                                continue;
                            }
                            progress.step();
                            if (devices.size() % 1000 == 0) {
                                synchronized (devices) {
                                    FleetState.save(server.state, server.url.toString(), new ArrayList<>(devices));
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failed.incrementAndGet();
                    System.err.println("\nenrollment stopped: " + e.getCause().getMessage());
                }
            }
        } finally {
            pool.shutdownNow();
            synchronized (devices) {
                FleetState.save(server.state, server.url.toString(), new ArrayList<>(devices));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        int added = devices.size() - have;
        System.out.printf("enrolled %d devices in %.1f s (%.0f/s, identity issuance and signing included), %d failed; %s holds %d%n", added, secs,
                added / secs, failed.get(), server.state, devices.size());
        return failed.get() == 0 ? 0 : 1;
    }

    private void reenroll(List<EnrolledDevice> known) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try (Progress progress = new Progress("re-enrolling", known.size())) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                fs.add(pool.submit(() -> {
                    try (MdmClient client = new MdmClient(server.endpoint(), server.paths())) {
                        int i;
                        while ((i = next.getAndIncrement()) < known.size()) {
                            CheckinEnrollment.send(CheckinEnrollment.prepare(known.get(i), client), client);
                            progress.step();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("re-enrolled %d known devices in %.1f s%n", known.size(), (System.nanoTime() - t0) / 1e9);
    }

    /** Enrollment mode options, shared with 'bench enroll'. */
    public static final class EnrollmentOptions {
        @Option(names = "--mode", defaultValue = "ca", description = "ca: identities from --ca-cert/--ca-key; scep: the server's /enroll + SCEP (not implemented yet)")
        String mode;

        @Option(names = "--ca-cert", description = "PEM device CA certificate the server trusts (from 'ca --out')")
        Path caCert;

        @Option(names = "--ca-key", description = "PEM key of --ca-cert")
        Path caKey;

        @Option(names = "--ca-dir", description = "directory written by 'ca --out' (instead of --ca-cert/--ca-key)")
        Path caDir;

        @Option(names = "--enroll-url", description = "scep mode: the enrollment profile URL")
        URI enrollUrl;

        @Option(names = "--token", description = "scep mode: the enrollment token")
        String token;

        @Option(names = "--topic", defaultValue = "com.apple.mgmt.External.00000000-0000-0000-0000-000000000000", description = "APNs topic sent in check-ins")
        String topic;

        @Option(names = "--key-pool", defaultValue = "0",
                description = "share this many RSA-2048 key pairs among devices (each keeps its own certificate); 0 = one key per device (default: ${DEFAULT-VALUE})")
        int keyPool;

        @Option(names = "--prefix", defaultValue = "sim", description = "fleet name, mixed into UDIDs and serials (default: ${DEFAULT-VALUE})")
        String prefix;

        Enrollment create() throws Exception {
            switch (mode) {
                case "ca" -> {
                    DeviceCa ca;
                    if (caDir != null) {
                        ca = DeviceCa.load(caDir.resolve(DeviceCa.CERT_FILE), caDir.resolve(DeviceCa.KEY_FILE));
                    } else if (caCert != null && caKey != null) {
                        ca = DeviceCa.load(caCert, caKey);
                    } else {
                        throw new IllegalArgumentException("--mode ca needs --ca-dir or --ca-cert and --ca-key");
                    }
                    return new CaIssuedEnrollment(ca, topic, keyPool);
                }
                case "scep" -> {
                    ScepEnrollment e = new ScepEnrollment(enrollUrl, token);
                    e.enroll(null, null); // says it is not implemented yet
                    return e;
                }
                default -> throw new IllegalArgumentException("--mode " + mode + ": expected ca or scep");
            }
        }
    }
}
