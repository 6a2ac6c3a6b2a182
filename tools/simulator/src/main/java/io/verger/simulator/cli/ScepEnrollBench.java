package io.verger.simulator.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import io.verger.simulator.bench.BenchResult;
import io.verger.simulator.bench.LatencyHistogram;
import io.verger.simulator.bench.LoadDriver;
import io.verger.simulator.bench.ServerProbe;
import io.verger.simulator.enroll.Enrollment;
import io.verger.simulator.enroll.ScepEnrollment;
import io.verger.simulator.enroll.SignedProfile;
import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.Hardware;
import io.verger.simulator.http.HttpResponseReader;
import io.verger.simulator.http.ServerEndpoint;
import io.verger.simulator.mdm.MdmClient;

/**
 * {@code bench enroll --mode scep}: the whole enrollment path of N new devices, with the server's work on the clock
 * and the devices' RSA work off it. Every device does what {@link ScepEnrollment#enroll} does, in three timed rounds
 * with untimed device work between them:
 * <ol>
 * <li>timed: GET the enrollment profile (one-time token), GetCACaps, GetCACert;</li>
 * <li>untimed: verify the profile's signature, read its payloads, make the key (or take a pooled one), CSR with the
 * challenge, self-signed certificate, PKCSReq (envelope + signature);</li>
 * <li>timed: PKIOperation (the server decrypts, checks the challenge, issues, answers a signed, enveloped CertRep);</li>
 * <li>untimed: verify and decrypt the CertRep, sign Authenticate and TokenUpdate with the new identity;</li>
 * <li>timed: Authenticate, TokenUpdate.</li>
 * </ol>
 * Enrollments per second = devices through all rounds / the sum of the three rounds' times; server CPU is summed
 * over the rounds only. Tokens are made (admin API) and a few warm-up devices enrolled before the clock.
 */
final class ScepEnrollBench {

    private ScepEnrollBench() {
    }

    /** A device's outcome of an untimed step: the value, or why it dropped out. */
    private record Outcome<T>(int device, T value, String error) {
    }

    static int run(BenchCommand.Common common, ScepEnrollment scep, ScepEnrollment.Tokens tokens, String prefix, int count, int warmupDevices,
            ServerProbe probe) throws Exception {
        PrintStream out = System.out;
        ServerEndpoint base = common.server.endpoint();
        List<String> errors = new ArrayList<>();

        // before the clock: warm-up devices through the whole path (JIT, connections; learns the server's URLs), then the tokens
        SignedProfile learned;
        try (MdmClient unused = new MdmClient(base, common.server.paths()); Progress p = new Progress("warm-up enrollments (untimed)", warmupDevices)) {
            for (int i = 0; i < Math.max(1, warmupDevices); i++) {
                scep.enroll(Hardware.of(prefix + "-warmup", i), unused);
                p.step();
            }
        }
        learned = scep.firstProfile();
        URI scepUrl = scep.scepUrl(learned);
        URI checkIn = URI.create(learned.mdm().checkInUrl());
        for (URI u : List.of(scep.profileUrl("x"), scepUrl, checkIn)) {
            if (!base.serves(u)) {
                throw new IllegalArgumentException("bench enroll --mode scep sends every step over connections to --url " + common.server.url + "; the "
                        + "enrollment uses " + u + " (profile, SCEP URL or CheckInURL on another host or port): use 'enroll --mode scep' instead");
            }
        }
        if (!learned.mdm().signMessage()) {
            throw new IllegalArgumentException("the profile's SignMessage is false (TLS client certificates); bench enroll --mode scep replays "
                    + "Mdm-Signature check-ins only: use 'enroll --mode scep' for this server");
        }
        byte[][] profileRequests = new byte[count][];
        try (Progress p = new Progress("making enrollment tokens (untimed)", count)) {
            for (int i = 0; i < count; i++) {
                profileRequests[i] = scep.profileRequest(scep.profileUrl(tokens.next()));
                p.step();
            }
        }
        byte[] capsRequest = ScepEnrollment.caCapsRequest(base, scepUrl);
        byte[] caCertRequest = ScepEnrollment.caCertRequest(base, scepUrl, learned);
        common.header("bench enroll --mode scep", count, probe);
        LoadDriver driver = new LoadDriver(base, probe);

        // round 1 (timed): profile, GetCACaps, GetCACert
        HttpResponseReader.Response[][] round1 = new HttpResponseReader.Response[count][];
        BenchResult r1 = driver.run("scep-round1-profile+CA", new LoadDriver.Limits(common.connections, 0, 0, count), t -> (unit, c, rec) -> {
            int i = (int) unit;
            HttpResponseReader.Response[] got = new HttpResponseReader.Response[3];
            byte[][] reqs = {profileRequests[i], capsRequest, caCertRequest};
            try {
                for (int k = 0; k < 3; k++) {
                    long t0 = System.nanoTime();
                    got[k] = c.exchange(reqs[k], true);
                    rec.exchange(System.nanoTime() - t0, got[k].status());
                }
                round1[i] = got;
            } catch (IOException e) {
                rec.ioError();
            }
            return true;
        });

        // untimed: the device reads the profile and prepares its PKCSReq
        List<Outcome<ScepEnrollment.ScepRequest>> prepared = untimed("preparing PKCSReqs (untimed)", indices(count), i -> {
            HttpResponseReader.Response[] got = round1[i];
            if (got == null) {
                throw new IllegalStateException("I/O error in the profile+CA round");
            }
            SignedProfile profile = scep.readProfile(got[0], scep.profileUrl(null));
            if (!scepUrl.equals(scep.scepUrl(profile))) {
                throw new IllegalStateException("the profile's SCEP URL " + profile.scep().url() + " differs from the first profile's " + scepUrl);
            }
            var caps = scep.readCaps(got[1], scepUrl);
            var ca = scep.readCaCert(got[2], scepUrl, profile);
            return scep.prepareRequest(Hardware.of(prefix, i), profile, new ScepEnrollment.CaCertificatesAndCaps(caps, ca), scepUrl);
        }, errors);
        List<ScepEnrollment.ScepRequest> requests = values(prepared);

        // round 2 (timed): PKIOperation
        HttpResponseReader.Response[] round2 = new HttpResponseReader.Response[requests.size()];
        BenchResult r2 = driver.run("scep-round2-PKIOperation", new LoadDriver.Limits(common.connections, 0, 0, requests.size()), t -> (unit, c, rec) -> {
            int i = (int) unit;
            try {
                long t0 = System.nanoTime();
                round2[i] = c.exchange(requests.get(i).httpRequest(), true);
                rec.exchange(System.nanoTime() - t0, round2[i].status());
            } catch (IOException e) {
                rec.ioError();
            }
            return true;
        });

        // untimed: the device opens the CertRep and signs its check-ins with the new identity
        List<Outcome<Enrollment.PreparedEnrollment>> signed = untimed("opening CertReps, signing check-ins (untimed)", indices(requests.size()), i -> {
            if (round2[i] == null) {
                throw new IllegalStateException("I/O error in the PKIOperation round");
            }
            EnrolledDevice d = scep.complete(requests.get(i), round2[i]);
            if (!checkIn.equals(URI.create(d.checkInUrl()))) {
                throw new IllegalStateException("the profile's CheckInURL " + d.checkInUrl() + " differs from the first profile's " + checkIn);
            }
            return scep.signedCheckins(d);
        }, errors);
        List<Enrollment.PreparedEnrollment> checkins = values(signed);

        // round 3 (timed): Authenticate, TokenUpdate
        AtomicInteger enrolled = new AtomicInteger();
        BenchResult r3 = driver.run("scep-round3-checkins", new LoadDriver.Limits(common.connections, 0, 0, checkins.size()), t -> (unit, c, rec) -> {
            Enrollment.PreparedEnrollment p = checkins.get((int) unit);
            try {
                boolean ok = true;
                for (byte[] req : new byte[][] {p.authenticateRequest(), p.tokenUpdateRequest()}) {
                    long t0 = System.nanoTime();
                    HttpResponseReader.Response resp = c.exchange(req, false);
                    rec.exchange(System.nanoTime() - t0, resp.status());
                    ok &= resp.status() == 200;
                }
                if (ok) {
                    enrolled.incrementAndGet();
                }
            } catch (IOException e) {
                rec.ioError();
            }
            return true;
        });

        for (BenchResult r : List.of(r1, r2, r3)) {
            r.print(out, "device");
        }
        int deviceSideFailures = errors.size();
        BenchResult all = combine(common.connections, enrolled.get(), deviceSideFailures, r1, r2, r3);
        out.printf(Locale.ROOT, "whole path (timed: the 3 rounds above, %d HTTP exchanges per enrollment; untimed: tokens, %d warm-up enrollments, "
                + "the devices' key generation, CSR/PKCSReq signing, CertRep decryption and check-in signing)%n", 6, Math.max(1, warmupDevices));
        all.print(out, "enrollment");
        if (deviceSideFailures > 0) {
            out.printf("%d devices dropped out between rounds (counted as unexpected answers); the first:%n", deviceSideFailures);
            errors.stream().limit(5).forEach(e -> out.println("  " + e));
        }
        out.println(scep.summary());
        return all.errors() == 0 && enrolled.get() == count ? 0 : 1;
    }

    private static BenchResult combine(int connections, long units, long deviceSideFailures, BenchResult... rounds) {
        LatencyHistogram latency = new LatencyHistogram();
        long[] statuses = new long[600];
        long elapsed = 0;
        long io = 0;
        long unexpected = deviceSideFailures;
        long driverCpu = 0;
        long serverCpu = 0;
        long serverJit = 0;
        long connects = 0;
        long rss = 0;
        for (BenchResult r : rounds) {
            latency.merge(r.latency());
            for (int s = 0; s < statuses.length; s++) {
                statuses[s] += r.statuses()[s];
            }
            elapsed += r.elapsedNanos();
            io += r.ioErrors();
            unexpected += r.unexpected();
            driverCpu += r.driverCpuNanos();
            serverCpu = serverCpu < 0 || r.serverCpuNanos() < 0 ? -1 : serverCpu + r.serverCpuNanos();
            serverJit = serverJit < 0 || r.serverJitCpuNanos() < 0 ? -1 : serverJit + r.serverJitCpuNanos();
            connects += r.tlsConnects();
            rss = r.serverRssBytes();
        }
        // each round opens its own connections: count only the reconnects beyond that, as a single run would
        connects -= (long) (rounds.length - 1) * connections;
        return new BenchResult("enroll-scep", connections, elapsed, units, latency, statuses, io, unexpected, driverCpu, serverCpu, rss, connects,
                -1, serverJit);
    }

    /** A throwing step per device. */
    @FunctionalInterface
    private interface Step<T> {
        T apply(int device) throws Exception;
    }

    private static <T> List<Outcome<T>> untimed(String label, int[] devices, Step<T> step, List<String> errors) throws Exception {
        IntFunction<Outcome<T>> work = k -> {
            int i = devices[k];
            try {
                return new Outcome<>(i, step.apply(i), null);
            } catch (Exception e) {
                return new Outcome<>(i, null, "device " + i + ": " + e.getMessage());
            }
        };
        List<Outcome<T>> all = Fleet.parallel(label, devices.length, work);
        all.stream().filter(o -> o.error() != null).forEach(o -> errors.add(o.error()));
        return all;
    }

    private static <T> List<T> values(List<Outcome<T>> outcomes) {
        List<T> ok = new ArrayList<>();
        outcomes.stream().filter(o -> o.error() == null).forEach(o -> ok.add(o.value()));
        return ok;
    }

    private static int[] indices(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
