package io.verger.simulator.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
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
import io.verger.simulator.enroll.KeyPool;
import io.verger.simulator.enroll.ScepEnrollment;
import io.verger.simulator.fleet.DeviceCa;
import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.FleetState;
import io.verger.simulator.fleet.Hardware;
import io.verger.simulator.mdm.AdminApi;
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
        try (Enrollment mode = enrollment.create(server)) {
            return enrollMissing(mode, devices, have);
        }
    }

    private int enrollMissing(Enrollment mode, List<EnrolledDevice> devices, int have) throws Exception {
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
        boolean scep = mode instanceof ScepEnrollment;
        System.out.printf("enrolled %d devices in %.1f s (%.1f/s, %s included), %d failed; %s holds %d%n", added, secs, added / secs,
                scep ? "profile fetch, SCEP, check-ins and the devices' key generation and signing" : "identity issuance and signing",
                failed.get(), server.state, devices.size());
        if (mode.summary() != null) {
            System.out.println(mode.summary());
        }
        if (scep && added > 0) {
            hintPaths(devices.get(devices.size() - 1));
        }
        return failed.get() == 0 ? 0 : 1;
    }

    /** 'run' and 'bench' talk to --url with --report-path and --checkin-path: say so when the profile named other URLs. */
    private void hintPaths(EnrolledDevice d) {
        URI expectedServer = server.url.resolve(server.reportPath);
        URI expectedCheckin = server.url.resolve(server.checkinPath);
        if (!sameServerAndPath(d.serverUrl(), expectedServer) || !sameServerAndPath(d.checkInUrl(), expectedCheckin)) {
            System.out.printf("note: the profile's ServerURL is %s and CheckInURL %s; 'run' and 'bench' use %s and %s (set --url, --report-path, --checkin-path)%n",
                    d.serverUrl(), d.checkInUrl(), expectedServer, expectedCheckin);
        }
    }

    private boolean sameServerAndPath(String url, URI expected) {
        if (url == null) {
            return true;
        }
        URI u = URI.create(url);
        try {
            return server.endpoint().serves(u) && expected.getRawPath().equals(u.getRawPath());
        } catch (Exception e) {
            return false;
        }
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
        private static final String PROFILE_TYPE = ScepEnrollment.PROFILE_MEDIA_TYPE;

        @Option(names = "--mode", defaultValue = "ca", description = "ca: identities issued here by a device CA the server trusts (--ca-dir or --ca-cert/--ca-key); "
                + "scep: as a device does, the server's enrollment profile (with --token or --api-key), its SCEP service, then the check-ins (default: ${DEFAULT-VALUE})")
        String mode;

        @Option(names = "--ca-cert", description = "PEM device CA certificate the server trusts (from 'ca --out')")
        Path caCert;

        @Option(names = "--ca-key", description = "PEM key of --ca-cert")
        Path caKey;

        @Option(names = "--ca-dir", description = "directory written by 'ca --out' (instead of --ca-cert/--ca-key)")
        Path caDir;

        @Option(names = "--enroll-url", description = "scep mode: the enrollment profile URL (default: <url>/enroll); token=… is added to its query")
        URI enrollUrl;

        @Option(names = "--token", description = "scep mode: the enrollment token for every device (a static enrollment secret, or one token for -n 1); "
                + "without it, one token per device is made with --api-key (Verger: POST /api/v1/enrollment-tokens)")
        String token;

        @Option(names = "--profile-ca", description = "scep mode: PEM CA(s) the enrollment profile's signer must chain to (default: --ca; Verger signs "
                + "profiles with its TLS identity)")
        Path profileCa;

        @Option(names = "--strict-profile", description = "scep mode: refuse a profile whose signer does not chain to --profile-ca/--ca, or that is not "
                + PROFILE_TYPE + " (a valid signature is always required)")
        boolean strictProfile;

        @Option(names = "--topic", defaultValue = "com.apple.mgmt.External.00000000-0000-0000-0000-000000000000",
                description = "ca mode: APNs topic sent in check-ins (scep mode uses the MDM payload's Topic)")
        String topic;

        @Option(names = "--key-pool", defaultValue = "0",
                description = "share this many RSA-2048 key pairs among devices (each keeps its own certificate); 0 = one key per device (default: ${DEFAULT-VALUE})")
        int keyPool;

        @Option(names = "--prefix", defaultValue = "sim", description = "fleet name, mixed into UDIDs and serials (default: ${DEFAULT-VALUE})")
        String prefix;

        Enrollment create(ServerOptions server) throws Exception {
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
                    Path anchors = profileCa != null ? profileCa : server.ca;
                    List<X509Certificate> trusted = new ArrayList<>();
                    if (anchors != null) {
                        try (var in = Files.newInputStream(anchors)) {
                            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                                trusted.add((X509Certificate) c);
                            }
                        }
                    }
                    return new ScepEnrollment(new ScepEnrollment.Settings(server.url, enrollUrl, server.ca, server.insecure, trusted, strictProfile),
                            tokens(server), new KeyPool(keyPool));
                }
                default -> throw new IllegalArgumentException("--mode " + mode + ": expected ca or scep");
            }
        }

        /** --token for every device; else one new token per device from the admin API; else the token already in --enroll-url. */
        ScepEnrollment.Tokens tokens(ServerOptions server) throws Exception {
            if (token != null && !token.isBlank()) {
                return () -> token;
            }
            if (server.apiKey != null && !server.apiKey.isBlank()) {
                return new AdminTokens(server.endpoint(), server.apiKey);
            }
            if (enrollUrl != null && enrollUrl.getRawQuery() != null && enrollUrl.getRawQuery().contains("token=")) {
                return () -> null;
            }
            throw new IllegalArgumentException("--mode scep needs an enrollment token: --token, --api-key (or VERGER_API_KEY) to make one per device, "
                    + "or an --enroll-url that carries token=…");
        }
    }

    /** One-time enrollment tokens from the admin API, one per call; one connection shared by the enrolling threads. */
    static final class AdminTokens implements ScepEnrollment.Tokens, AutoCloseable {
        private final AdminApi api;

        AdminTokens(io.verger.simulator.http.ServerEndpoint endpoint, String apiKey) {
            this.api = new AdminApi(endpoint, apiKey);
        }

        @Override
        public synchronized String next() throws Exception {
            return api.createEnrollmentToken();
        }

        @Override
        public synchronized void close() {
            api.close();
        }
    }
}
