package io.verger.push.apns.internal;

import io.verger.api.storage.PushCertificate;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Boots Felix 7 with SCR, ConfigAdmin, the api bundle, Pushy, fast-uuid and Netty, and this bundle: it
 * resolves with exactly {@link #RUNTIME_BUNDLES}, registers its PushProvider, pushes to the mock APNs
 * through a certificate store registered from outside, and comes back after a stop and start.
 */
class ApnsPushProviderOsgiTest {

    /** The bundles push needs at runtime, besides the framework and this bundle (file name prefixes on the test class path). */
    static final List<String> RUNTIME_BUNDLES = List.of(
            "org.osgi.service.component-", "org.osgi.util.promise-", "org.osgi.util.function-",
            "org.apache.felix.scr-", "org.apache.felix.configadmin-",
            "verger-api-",
            "pushy-", "fast-uuid-",
            "netty-common-", "netty-buffer-", "netty-transport-", "netty-resolver-", "netty-resolver-dns-",
            "netty-codec-", "netty-codec-dns-", "netty-codec-http-", "netty-codec-http2-", "netty-codec-socks-",
            "netty-handler-", "netty-handler-proxy-", "netty-transport-native-unix-common-");

    private static final String PUSH_PROVIDER = "io.verger.api.push.PushProvider";

    @TempDir
    static Path tmp;
    private static Framework framework;
    private static Bundle api;
    private static Bundle push;
    private static MockApns mock;
    private static TestPki pki;

    @BeforeAll
    static void boot() throws Exception {
        pki = new TestPki();
        mock = new MockApns(pki, 2);
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, tmp.resolve("felix-cache").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // as the launcher does (VergerRuntime.SLF4J_PACKAGES): Netty and Pushy import org.slf4j [1.7,2)
        StringBuilder slf4j = new StringBuilder();
        for (String v : new String[] {"2.0.17", "1.7.36"}) {
            for (String p : new String[] {"org.slf4j", "org.slf4j.spi", "org.slf4j.event", "org.slf4j.helpers"}) {
                slf4j.append(slf4j.length() == 0 ? "" : ",").append(p).append(";version=").append(v);
            }
        }
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, slf4j.toString());
        props.put("ds.loglevel", "warn");
        framework = new FrameworkFactory().newFramework(props);
        framework.init();
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (String prefix : RUNTIME_BUNDLES) {
            Bundle b = ctx.installBundle(asBundleUri(classPathEntry(prefix)));
            bundles.add(b);
            if (prefix.equals("verger-api-")) {
                api = b;
            }
        }
        push = ctx.installBundle(asBundleUri(Path.of("target/classes")));
        bundles.add(push);
        framework.start();
        for (Bundle b : bundles) {
            b.start();
        }
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
        if (mock != null) {
            mock.close();
        }
    }

    @Test
    void bundleResolvesRegistersPushProviderAndPushesToMockApns() throws Exception {
        assertEquals(Bundle.ACTIVE, push.getState(), "io.verger.push.apns resolves and starts");
        assertEquals("io.verger.push.apns", push.getSymbolicName());
        BundleContext ctx = framework.getBundleContext();
        Object provider = awaitService(ctx, PUSH_PROVIDER);

        // no certificate store yet: the provider is there and says what is missing
        String topic = TestPki.newTopic();
        Object unknown = firstResult(provider, topic, "magic");
        assertEquals("FAILED", outcome(unknown));
        assertTrue(detail(unknown).contains("no push certificate store"), detail(unknown));

        // a certificate store, as storage would register it; the configuration points at the mock
        Map<String, Object> certs = new ConcurrentHashMap<>();
        PushCertificate cert = pki.pushCertificate(topic);
        Class<?> certType = api.loadClass("io.verger.api.storage.PushCertificate");
        certs.put(topic, certType.getConstructor(String.class, List.class, PrivateKey.class)
                .newInstance(topic, cert.chain(), cert.privateKey()));
        Class<?> storeType = api.loadClass("io.verger.api.storage.PushCertStore");
        Object store = Proxy.newProxyInstance(storeType.getClassLoader(), new Class<?>[] {storeType}, (p, m, a) -> switch (m.getName()) {
            case "find" -> Optional.ofNullable(certs.get((String) a[0]));
            case "isCurrent" -> certs.containsKey((String) a[0])
                    && certType.getMethod("version").invoke(certs.get((String) a[0])).equals(a[1]);
            case "list" -> List.copyOf(certs.values());
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == a[0];
            case "toString" -> "test PushCertStore";
            default -> throw new UnsupportedOperationException(m.getName());
        });
        ctx.registerService(storeType.getName(), store, null);
        configure(ctx, Map.of("host", "127.0.0.1", "port", mock.port,
                "trustedServerCa", pki.caPemFile(tmp).toString(), "retryInitialMillis", 5L));

        ApnsPushProviderTest.waitFor(() -> {
            try {
                return "DELIVERED".equals(outcome(firstResult(awaitService(ctx, PUSH_PROVIDER), topic, "magic-osgi")));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "a push delivered from inside Felix");
        MockApns.Request last = mock.requests.get(mock.requests.size() - 1);
        assertEquals(topic, last.topic());
        assertEquals("{\"mdm\":\"magic-osgi\"}", last.payload());
        assertEquals(cert.version(), last.clientCertificate());

        // hot swap: stopped, the service is gone; started again, pushing resumes
        push.stop();
        assertNull(reference(ctx, PUSH_PROVIDER));
        push.start();
        Object again = awaitService(ctx, PUSH_PROVIDER);
        ApnsPushProviderTest.waitFor(() -> {
            try {
                return "DELIVERED".equals(outcome(firstResult(again, topic, "after-restart")));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "a push after the bundle restarted");
    }

    // --- reflection over the framework's class spaces: the API classes here are the api bundle's

    private Object firstResult(Object provider, String topic, String magic) throws Exception {
        Class<?> enrollmentId = api.loadClass("io.verger.api.EnrollmentId");
        Class<?> targetType = api.loadClass("io.verger.api.push.PushTarget");
        Object id = enrollmentId.getConstructor(String.class, String.class).newInstance("OSGI-DEVICE", null);
        Object target = targetType.getConstructor(enrollmentId, byte[].class, String.class, String.class)
                .newInstance(id, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, magic, topic);
        Method pushMethod = api.loadClass(PUSH_PROVIDER).getMethod("push", Collection.class);
        CompletionStage<?> stage = (CompletionStage<?>) pushMethod.invoke(provider, List.of(target));
        List<?> results = (List<?>) stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        return results.get(0);
    }

    private static String outcome(Object result) throws Exception {
        return result.getClass().getMethod("outcome").invoke(result).toString();
    }

    private static String detail(Object result) throws Exception {
        return (String) result.getClass().getMethod("detail").invoke(result);
    }

    private static Object awaitService(BundleContext ctx, String type) throws InterruptedException {
        Object[] service = new Object[1];
        ApnsPushProviderTest.waitFor(() -> {
            ServiceReference<?> ref = reference(ctx, type);
            service[0] = ref == null ? null : ctx.getService(ref);
            return service[0] != null;
        }, "service " + type);
        assertNotNull(service[0]);
        return service[0];
    }

    /** All references: the system bundle is not wired to the API packages, so the class-space filter must be skipped. */
    private static ServiceReference<?> reference(BundleContext ctx, String type) {
        try {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(type, null);
            return refs == null ? null : refs[0];
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static void configure(BundleContext ctx, Map<String, Object> values) throws Exception {
        ServiceReference<?> ref = reference(ctx, "org.osgi.service.cm.ConfigurationAdmin");
        assertNotNull(ref, "ConfigurationAdmin");
        Object admin = ctx.getService(ref);
        Class<?> adminType = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
        Class<?> configType = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
        Object config = adminType.getMethod("getConfiguration", String.class, String.class).invoke(admin, ApnsPushProvider.PID, "?");
        Dictionary<String, Object> d = new Hashtable<>(values);
        configType.getMethod("update", Dictionary.class).invoke(config, d);
    }

    private static Path classPathEntry(String prefix) {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            String name = p.getFileName().toString();
            if (name.startsWith(prefix) && Character.isDigit(name.charAt(prefix.length()))) {
                return p;
            }
            // the api module inside the reactor may be a classes directory
            if (prefix.equals("verger-api-") && Files.isDirectory(p) && p.toString().replace('\\', '/').endsWith("api/target/classes")) {
                return p;
            }
        }
        throw new AssertionError("no " + prefix + "* on the test class path");
    }

    /** A jar as it is; a classes directory (with its bnd manifest) packed into a jar first. */
    private static String asBundleUri(Path entry) throws IOException {
        if (!Files.isDirectory(entry)) {
            return entry.toUri().toString();
        }
        Path jar = Files.createTempFile(tmp, "bundle-", ".jar");
        Path manifestFile = entry.resolve("META-INF/MANIFEST.MF");
        Manifest manifest;
        try (var in = Files.newInputStream(manifestFile)) {
            manifest = new Manifest(in);
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, manifest);
                Stream<Path> files = Files.walk(entry)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = entry.relativize(f).toString().replace('\\', '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                jos.putNextEntry(new ZipEntry(name));
                Files.copy(f, jos);
                jos.closeEntry();
            }
        }
        return jar.toUri().toString();
    }
}
