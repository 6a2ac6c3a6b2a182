package io.verger.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.api.command.CommandType;
import io.verger.plist.PlistCodec;
import io.verger.plist.PlistException;

/**
 * The distribution's bundles, exactly as {@code bundle/} ships them, booted by Pax Exam's native container in Felix
 * with the framework properties of {@code VergerRuntime.prepare} (TLS, ports, API key digest, slf4j exports,
 * FileInstall), plus the test plugin; the tests run inside that framework.
 *
 * <p>Everything here runs in the probe bundle except {@link #config()}, which delegates to
 * {@link PaxExamVergerSetup} so that the probe never loads a launcher class. Plist types appear only inside method
 * bodies, never in a signature, a field, a catch clause or a lambda's captured variables: JUnit reflects on every
 * declared method of this class, so a plist type there would make all four tests fail with ClassNotFound when the
 * plist bundle is missing, instead of the plist test alone.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VergerBundlesPaxExamIT {

    static final String API_KEY = "paxexam-admin-key-0123456789";
    private static final String PING = "VergerTestPing";
    private static final String TEST_PLUGIN_BSN = "io.verger.itests.testplugin";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        return PaxExamVergerSetup.options(API_KEY);
    }

    /** Every jar of the distribution's {@code bundle/}, sorted: exactly what bin/verger installs. */
    static List<Path> distributionBundles() throws IOException {
        Path dir = TestDirs.distribution().resolve("bundle");
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
            ds.forEach(p -> jars.add(p.toAbsolutePath().normalize()));
        }
        jars.sort(null);
        if (jars.isEmpty()) {
            throw new IllegalStateException("no bundles in " + dir);
        }
        return jars;
    }

    static String location(Path jar) {
        return jar.toAbsolutePath().normalize().toUri().toString();
    }

    @Test
    public void theDistributionsBundlesAndTheTestPluginAreInstalledAndEveryNonFragmentBundleIsActive() throws Exception {
        Set<String> expected = new TreeSet<>();
        for (Path jar : distributionBundles()) {
            expected.add(location(jar));
        }
        expected.add(location(TestDirs.testPlugin()));
        Set<String> missing = new TreeSet<>(expected);
        List<String> unexpected = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            missing.remove(b.getLocation());
            // Pax Exam's own bundles come from link:/mvn: URLs and its probe from a stream; any other file: bundle is extra
            if (b.getLocation().startsWith("file:") && !expected.contains(b.getLocation())) {
                unexpected.add(b.getLocation());
            }
        }
        // starting is done when Pax Exam reaches its start level; the poll only guards against a slow activator
        List<String> notActive = poll(() -> {
            List<String> out = new ArrayList<>();
            for (Bundle b : context.getBundles()) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null && b.getState() != Bundle.ACTIVE) {
                    out.add(b.getSymbolicName() + " " + b.getVersion() + " is " + state(b.getState()) + " (" + b.getLocation() + ")");
                }
            }
            return out;
        }, List::isEmpty);
        if (!missing.isEmpty() || !unexpected.isEmpty() || !notActive.isEmpty()) {
            fail("not installed: " + missing + "; installed but not in the distribution: " + unexpected + "; not ACTIVE (polled up to "
                    + LIMIT.toSeconds() + " s): " + notActive);
        }
    }

    @Test
    public void plistDecodesAnXmlCheckInAndABinaryPlistInsideOsgi() {
        Bundle codecBundle = FrameworkUtil.getBundle(PlistCodec.class);
        assertNotNull("PlistCodec must come from a bundle, not the class path", codecBundle);
        assertEquals("io.verger.plist", codecBundle.getSymbolicName());

        PlistCodec codec = PlistCodec.withDefaults();
        Map<String, Object> checkIn = codec.decodeDictionary(AUTHENTICATE.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("BuildVersion", "MessageType", "OSVersion", "ProductName", "SerialNumber", "Topic", "UDID", "DeviceName", "Model"),
                new ArrayList<>(checkIn.keySet()));
        assertEquals("Authenticate", checkIn.get("MessageType"));
        assertEquals("com.apple.mgmt.External.2b7a6e3c-5d9f-4e1a-8c3b-7f0e9d2a1b4c", checkIn.get("Topic"));
        assertEquals("00008030-001A2B3C4D5E6F70", checkIn.get("UDID"));
        assertEquals("iPhone13,2", checkIn.get("ProductName"));

        Map<String, Object> report = codec.decodeDictionary(Base64.getDecoder().decode(BINARY_REPORT));
        assertEquals("Acknowledged", report.get("Status"));
        assertEquals("5B5E5E2A-0C1D-4E8A-9F3B-2D7C1A9E4F60", report.get("CommandUUID"));
        @SuppressWarnings("unchecked")
        Map<String, Object> q = (Map<String, Object>) report.get("QueryResponses");
        assertEquals(0.875, (Double) q.get("BatteryLevel"), 0.0);
        assertEquals(Long.valueOf(128), q.get("DeviceCapacity"));
        assertEquals(Boolean.TRUE, q.get("IsSupervised"));
        assertEquals(Boolean.FALSE, q.get("IsActivationLockEnabled"));
        assertEquals(Instant.parse("2024-03-01T12:30:15Z"), q.get("LastCloudBackupDate"));
        assertEquals("a4:83:e7:00:11:22", q.get("BluetoothMAC"));
        assertArrayEquals(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0, 1}, (byte[]) q.get("PushToken"));
        assertEquals(List.of(Map.of("Slot", "CTSubscriptionSlotOne", "IsRoaming", false), 42L, -7L), q.get("ServiceSubscriptions"));

        // the XML parser's guard works inside OSGi too: a DOCTYPE other than Apple's is refused
        String hostile = AUTHENTICATE.replace("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
                "<!DOCTYPE plist [<!ENTITY x \"boom\">]>");
        byte[] hostileBytes = hostile.getBytes(StandardCharsets.UTF_8);
        assertThrows(PlistException.class, () -> PlistCodec.withDefaults().decode(hostileBytes));
    }

    @Test
    public void theTestPluginsCommandTypeIsRegisteredAndListedOverHttps() throws Exception {
        ServiceReference<CommandType> ping = poll(() -> {
            try {
                for (ServiceReference<CommandType> ref : context.getServiceReferences(CommandType.class, null)) {
                    CommandType type = context.getService(ref);
                    try {
                        if (type != null && PING.equals(type.requestType())) {
                            return ref;
                        }
                    } finally {
                        context.ungetService(ref);
                    }
                }
                return null;
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        }, r -> r != null);
        assertNotNull("no CommandType service with requestType " + PING + " within " + LIMIT.toSeconds() + " s", ping);
        assertEquals("registered by the test plugin", TEST_PLUGIN_BSN, ping.getBundle().getSymbolicName());
        assertEquals(location(TestDirs.testPlugin()), ping.getBundle().getLocation());
        CommandType type = context.getService(ping);
        try {
            assertEquals(PING, type.describe().requestType());
        } finally {
            context.ungetService(ping);
        }

        VergerHttps https = https();
        assertEquals("the API is closed without a key", 401, https.get("/api/v1/command-types").statusCode());
        // the servlet follows CommandType services dynamically: poll until the listing has caught up
        JsonNode listing = poll(() -> {
            try {
                HttpResponse<String> r = https.get("/api/v1/command-types", "Authorization", "Bearer " + API_KEY);
                return r.statusCode() == 200 ? VergerHttps.JSON.readTree(r.body()) : null;
            } catch (Exception e) {
                return null;
            }
        }, json -> json != null && requestTypes(json).contains(PING));
        assertNotNull("GET /api/v1/command-types never answered 200 within " + LIMIT.toSeconds() + " s", listing);
        assertTrue("GET /api/v1/command-types does not list " + PING + ": " + listing, requestTypes(listing).contains(PING));
        assertEquals(listing.get("commandTypes").size(), listing.get("count").asInt());
    }

    @Test
    public void healthIsUp() throws Exception {
        VergerHttps https = https();
        JsonNode health = poll(() -> {
            try {
                HttpResponse<String> r = https.get("/health");
                return r.statusCode() == 200 ? VergerHttps.JSON.readTree(r.body()) : null;
            } catch (Exception e) {
                return null;
            }
        }, json -> json != null && "UP".equals(json.path("status").asText()));
        assertNotNull("GET /health never answered 200 within " + LIMIT.toSeconds() + " s", health);
        assertEquals("GET /health: " + health, "UP", health.get("status").asText());
        assertEquals("GET /health: " + health, 0, health.get("bundles").get("failed").asInt());
        assertEquals("GET /health: " + health, 0, health.get("components").get("failed").asInt());
    }

    /** A client that trusts only the CA this instance generated under {@code <data>/tls}, host names verified. */
    private VergerHttps https() throws Exception {
        String data = context.getProperty("verger.data");
        String port = context.getProperty("verger.https.port");
        assertNotNull("framework property verger.data", data);
        assertNotNull("framework property verger.https.port", port);
        VergerHttps https = new VergerHttps(Path.of(data, "tls", "ca.crt"), Integer.parseInt(port));
        assertTrue("HTTPS on port " + port + " did not answer /version within " + LIMIT.toSeconds() + " s", https.awaitUp(LIMIT) >= 0);
        return https;
    }

    private static List<String> requestTypes(JsonNode listing) {
        List<String> types = new ArrayList<>();
        listing.path("commandTypes").forEach(t -> types.add(t.path("requestType").asText()));
        return types;
    }

    /** Calls {@code probe} until {@code done} accepts its value or {@link #LIMIT} has passed; returns the last value. */
    private static <T> T poll(Supplier<T> probe, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = probe.get();
        }
        return value;
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> Integer.toString(state);
        };
    }

    /** An Authenticate check-in as an iPhone sends it: XML, Apple's DOCTYPE, tabs. */
    private static final String AUTHENTICATE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
            	<key>BuildVersion</key>
            	<string>21F90</string>
            	<key>MessageType</key>
            	<string>Authenticate</string>
            	<key>OSVersion</key>
            	<string>17.5.1</string>
            	<key>ProductName</key>
            	<string>iPhone13,2</string>
            	<key>SerialNumber</key>
            	<string>F2LXK0ABCDEF</string>
            	<key>Topic</key>
            	<string>com.apple.mgmt.External.2b7a6e3c-5d9f-4e1a-8c3b-7f0e9d2a1b4c</string>
            	<key>UDID</key>
            	<string>00008030-001A2B3C4D5E6F70</string>
            	<key>DeviceName</key>
            	<string>Test iPhone</string>
            	<key>Model</key>
            	<string>MGE63</string>
            </dict>
            </plist>
            """;

    /**
     * A DeviceInformation report as a binary plist (written by Python's plistlib, not by our codec): strings, a real,
     * integers (one negative), booleans, a date (2024-03-01T12:30:15Z), data, an array and nested dictionaries.
     */
    private static final String BINARY_REPORT = ""
            + "YnBsaXN0MDDUAQIDBAUGBwhbQ29tbWFuZFVVSURWU3RhdHVzVFVESUReUXVlcnlSZXNwb25zZXNfECQ1QjVFNUUyQS0wQzFELTRF"
            + "OEEtOUYzQi0yRDdDMUE5RTRGNjBcQWNrbm93bGVkZ2VkXxAZMDAwMDgwMzAtMDAxQTJCM0M0RDVFNkY3MNgJCgsMDQ4PEBESExQV"
            + "FhcYXEJhdHRlcnlMZXZlbF5EZXZpY2VDYXBhY2l0eVxJc1N1cGVydmlzZWRfEBdJc0FjdGl2YXRpb25Mb2NrRW5hYmxlZF8QE0xh"
            + "c3RDbG91ZEJhY2t1cERhdGVcQmx1ZXRvb3RoTUFDWVB1c2hUb2tlbl8QFFNlcnZpY2VTdWJzY3JpcHRpb25zIz/sAAAAAAAAEIAJ"
            + "CDNBxckA64AAAF8QEWE0OjgzOmU3OjAwOjExOjIyRt6tvu8AAaMZHR7SGhscFFRTbG90WUlzUm9hbWluZ18QFUNUU3Vic2NyaXB0"
            + "aW9uU2xvdE9uZRAqE//////////5AAgAEQAdACQAKQA4AF8AbACIAJkApgC1AMIA3ADyAP8BCQEgASkBKwEsAS0BNgFKAVEBVQFa"
            + "AV8BaQGBAYMAAAAAAAACAQAAAAAAAAAfAAAAAAAAAAAAAAAAAAABjA==";
}
