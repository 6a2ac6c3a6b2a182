package io.verger.simulator.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.verger.plist.PlistCodec;
import io.verger.simulator.bench.LatencyHistogram;
import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.mdm.AdminApi;
import io.verger.simulator.mdm.CommandResponder;
import io.verger.simulator.mdm.MdmClient;
import io.verger.simulator.mdm.MdmSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The fleet living its life: each device connects (Idle), answers every command it gets as a device would, and
 * comes back after --interval; optionally an admin enqueues commands of the --mix at --enqueue-rate. Every message
 * is signed when sent, as on a real device (this is the realistic mode, not the replay driver).
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Devices connect repeatedly and answer queued commands realistically.")
public final class RunCommand implements Callable<Integer> {

    private static final PlistCodec PLIST = PlistCodec.withDefaults();

    @Mixin
    ServerOptions server;

    @Option(names = "--devices", defaultValue = "0", description = "use the first N devices of the state file (default: all)")
    int devices;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "8", description = "devices connected at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--duration", defaultValue = "30", description = "seconds (default: ${DEFAULT-VALUE})")
    double duration;

    @Option(names = "--interval", defaultValue = "1", description = "seconds between one device's connects (default: ${DEFAULT-VALUE})")
    double interval;

    @Option(names = "--not-now-rate", defaultValue = "0.05", description = "share of commands answered NotNow (default: ${DEFAULT-VALUE})")
    double notNowRate;

    @Option(names = "--enqueue-rate", defaultValue = "0", description = "commands per second enqueued to random devices through /v1/enqueue (needs the API key)")
    double enqueueRate;

    @Option(names = "--mix", defaultValue = "DeviceInformation=4,SecurityInfo=2,ProfileList=2,InstallProfile=2,RemoveProfile=1,DeviceLock=0.2,EnableLostMode=0.1,DeviceLocation=0.1,DisableLostMode=0.1,EraseDevice=0.05",
            split = ",", description = "weights of the enqueued command types (default: ${DEFAULT-VALUE})")
    Map<String, Double> mix = new LinkedHashMap<>();

    @Option(names = "--max-commands-per-connect", defaultValue = "50", description = "a device stops answering after this many in one connection")
    int maxPerConnect;

    @Override
    public Integer call() throws Exception {
        List<EnrolledDevice> fleet = Fleet.load(server.state, devices);
        List<CommandResponder> responders = new ArrayList<>();
        List<MdmSigner> signers = new ArrayList<>();
        SplittableRandom seed = new SplittableRandom(42);
        for (EnrolledDevice d : fleet) {
            responders.add(new CommandResponder(d, notNowRate, seed.split()));
            signers.add(new MdmSigner(d.privateKey(), d.certificate()));
        }
        long end = System.nanoTime() + (long) (duration * 1e9);
        LongAdder connects = new LongAdder();
        LongAdder errors = new LongAdder();
        Map<String, LongAdder> answered = new ConcurrentHashMap<>();
        List<LatencyHistogram> histograms = new ArrayList<>();
        AtomicLong enqueued = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            final int ti = t;
            LatencyHistogram h = new LatencyHistogram();
            histograms.add(h);
            threads.add(new Thread(() -> {
                long[] nextConnect = new long[fleet.size()];
                try (MdmClient client = new MdmClient(server.endpoint(), server.paths())) {
                    while (System.nanoTime() < end) {
                        boolean any = false;
                        for (int i = ti; i < fleet.size() && System.nanoTime() < end; i += concurrency) {
                            if (System.nanoTime() < nextConnect[i]) {
                                continue;
                            }
                            any = true;
                            try {
                                session(client, responders.get(i), signers.get(i), h, answered);
                                connects.increment();
                            } catch (Exception e) {
                                errors.increment();
                                System.err.println(fleet.get(i).udid() + ": " + e.getMessage());
                            }
                            nextConnect[i] = System.nanoTime() + (long) (interval * 1e9);
                        }
                        if (!any) {
                            Thread.sleep(5);
                        }
                    }
                } catch (Exception e) {
                    errors.increment();
                    System.err.println("device thread " + ti + ": " + e.getMessage());
                }
            }, "device-" + t));
        }
        if (enqueueRate > 0) {
            threads.add(new Thread(() -> enqueueLoop(fleet, end, enqueued, errors), "admin"));
        }
        threads.forEach(Thread::start);
        for (Thread th : threads) {
            th.join();
        }
        LatencyHistogram all = new LatencyHistogram();
        histograms.forEach(all::merge);
        System.out.printf(Locale.ROOT, "run: %d devices, %.0f s: %d connects (%.0f/s), %d commands enqueued, %d errors%n", fleet.size(), duration,
                connects.sum(), connects.sum() / duration, enqueued.get(), errors.sum());
        System.out.printf(Locale.ROOT, "  latency per exchange: p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms (%d exchanges, signing not included)%n",
                all.percentile(50) / 1e6, all.percentile(90) / 1e6, all.percentile(99) / 1e6, all.max() / 1e6, all.count());
        new TreeMap<>(answered).forEach((k, v) -> System.out.printf("  %-40s %d%n", k, v.sum()));
        return errors.sum() == 0 ? 0 : 1;
    }

    private void session(MdmClient client, CommandResponder device, MdmSigner signer, LatencyHistogram h, Map<String, LongAdder> answered)
            throws IOException {
        byte[] req = client.reportRequest(device.idle(), signer);
        for (int n = 0; ; n++) {
            long t0 = System.nanoTime();
            MdmClient.Reply reply = client.send(req);
            h.record(System.nanoTime() - t0);
            if (reply.status() != 200) {
                throw new IOException("HTTP " + reply.status() + ": " + new String(reply.body(), 0, Math.min(200, reply.body().length)));
            }
            if (reply.command() == null || n >= maxPerConnect) {
                return;
            }
            Map<String, Object> report = device.answer(reply.command());
            Object type = reply.command().get("Command") instanceof Map<?, ?> c ? c.get("RequestType") : "?";
            answered.computeIfAbsent(type + " " + report.get("Status"), k -> new LongAdder()).increment();
            req = client.reportRequest(report, signer);
        }
    }

    private void enqueueLoop(List<EnrolledDevice> fleet, long end, AtomicLong enqueued, LongAdder errors) {
        SplittableRandom rnd = new SplittableRandom(7);
        double total = mix.values().stream().mapToDouble(Double::doubleValue).sum();
        long period = (long) (1e9 / enqueueRate);
        long next = System.nanoTime();
        try (AdminApi api = new AdminApi(server.endpoint(), server.apiKey())) {
            while (System.nanoTime() < end) {
                double x = rnd.nextDouble() * total;
                String type = null;
                for (Map.Entry<String, Double> e : mix.entrySet()) {
                    x -= e.getValue();
                    if (x <= 0) {
                        type = e.getKey();
                        break;
                    }
                }
                if (type == null) {
                    type = mix.keySet().iterator().next();
                }
                EnrolledDevice d = fleet.get(rnd.nextInt(fleet.size()));
                try {
                    api.enqueue(List.of(d.udid()), PLIST.encodeXml(command(type, rnd)));
                    enqueued.incrementAndGet();
                } catch (IOException e) {
                    errors.increment();
                    System.err.println("enqueue " + type + ": " + e.getMessage());
                }
                next += period;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (Exception e) {
            errors.increment();
            System.err.println("enqueuer: " + e.getMessage());
        }
    }

    /** A command of the given type as an admin would send it. */
    static Map<String, Object> command(String type, SplittableRandom rnd) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("RequestType", type);
        switch (type) {
            case "DeviceInformation" -> c.put("Queries", List.of("DeviceName", "OSVersion", "BuildVersion", "ModelName", "SerialNumber",
                    "BatteryLevel", "AvailableDeviceCapacity", "WiFiMAC", "IsSupervised"));
            case "InstallProfile" -> c.put("Payload", PLIST.encodeXml(profile(rnd.nextInt(5))));
            case "RemoveProfile" -> c.put("Identifier", "io.verger.sim.profile." + rnd.nextInt(5));
            case "DeviceLock" -> c.put("Message", "Locked by Verger Simulator");
            case "EnableLostMode" -> c.put("Message", "This device was lost");
            case "EraseDevice" -> c.put("PreserveDataPlan", true);
            default -> {
            }
        }
        return Map.of("CommandUUID", UUID.randomUUID().toString().toUpperCase(), "Command", c);
    }

    static Map<String, Object> profile(int k) {
        Map<String, Object> wifi = new LinkedHashMap<>();
        wifi.put("PayloadType", "com.apple.wifi.managed");
        wifi.put("PayloadIdentifier", "io.verger.sim.profile." + k + ".wifi");
        wifi.put("PayloadUUID", UUID.nameUUIDFromBytes(("wifi" + k).getBytes()).toString().toUpperCase());
        wifi.put("PayloadVersion", 1L);
        wifi.put("SSID_STR", "Office-" + k);
        wifi.put("EncryptionType", "WPA2");
        wifi.put("AutoJoin", true);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("PayloadType", "Configuration");
        p.put("PayloadIdentifier", "io.verger.sim.profile." + k);
        p.put("PayloadUUID", UUID.nameUUIDFromBytes(("profile" + k).getBytes()).toString().toUpperCase());
        p.put("PayloadDisplayName", "Office Wi-Fi " + k);
        p.put("PayloadVersion", 1L);
        p.put("PayloadContent", List.of(wifi));
        return p;
    }
}
