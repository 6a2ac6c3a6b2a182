package io.verger.storage.jpa.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Boots a real Felix 7 with SCR, ConfigAdmin, the API, verger-derby, EclipseLink, HikariCP, the
 * PostgreSQL driver and this bundle, and checks that every storage service registers and works on
 * the default embedded Derby. The bundles come from {@code target/it-bundles} (copied, with pinned
 * versions, by the maven-dependency-plugin) and the bundle jar this build made. The test talks to
 * the services by reflection: their API classes are the API bundle's, not this class path's.
 */
class StorageBundleIT {

    private static final String[] SERVICES = {"EnrollmentStore", "CommandQueue", "CertAuthStore", "BootstrapTokenStore",
            "PushCertStore", "InventoryStore", "PolicyStore", "PolicyTargetStore"};

    @TempDir
    Path dir;

    private Framework framework;

    @BeforeEach
    void boot() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, slf4jPackages());
        props.put("verger.data", dir.resolve("data").toString());
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(props);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        File[] jars = new File(System.getProperty("verger.it.bundles", "target/it-bundles")).listFiles((d, n) -> n.endsWith(".jar"));
        assertNotNull(jars, "no bundles in target/it-bundles: run through Maven (process-test-resources copies them)");
        Arrays.sort(jars);
        for (File jar : jars) {
            bundles.add(ctx.installBundle(jar.toURI().toString()));
        }
        bundles.add(ctx.installBundle(new File(System.getProperty("verger.it.storageBundle")).toURI().toString()));
        for (Bundle b : bundles) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
    }

    private static String slf4jPackages() {
        StringBuilder sb = new StringBuilder();
        for (String version : new String[] {"2.0.17", "1.7.36"}) {
            for (String pkg : new String[] {"org.slf4j", "org.slf4j.spi", "org.slf4j.event", "org.slf4j.helpers"}) {
                sb.append(sb.length() == 0 ? "" : ",").append(pkg).append(";version=").append(version);
            }
        }
        return sb.toString();
    }

    @AfterEach
    void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(20_000);
        }
    }

    private Object service(String simpleName) throws InterruptedException {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(framework.getBundleContext(),
                "io.verger.api.storage." + simpleName, null);
        tracker.open(true);
        try {
            Object s = tracker.waitForService(TimeUnit.SECONDS.toMillis(30));
            assertNotNull(s, simpleName + " did not register; bundles: " + bundleStates());
            return s;
        } finally {
            tracker.close();
        }
    }

    private String bundleStates() {
        StringBuilder sb = new StringBuilder();
        for (Bundle b : framework.getBundleContext().getBundles()) {
            sb.append("\n  ").append(b.getSymbolicName()).append(' ').append(b.getVersion()).append(" state=").append(b.getState());
        }
        return sb.toString();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyStorageServiceRegistersAndWorksOnEmbeddedDerby() throws Exception {
        for (String name : SERVICES) {
            service(name);
        }
        Bundle api = Arrays.stream(framework.getBundleContext().getBundles())
                .filter(b -> "io.verger.api".equals(b.getSymbolicName()) || b.getSymbolicName().startsWith("io.verger.api"))
                .findFirst().orElseThrow(() -> new AssertionError("no API bundle: " + bundleStates()));
        Class<?> enrollmentId = api.loadClass("io.verger.api.EnrollmentId");
        Class<?> enrollmentType = api.loadClass("io.verger.api.EnrollmentType");
        Class<?> deviceFacts = api.loadClass("io.verger.api.storage.DeviceFacts");
        Class<?> pushTarget = api.loadClass("io.verger.api.push.PushTarget");
        Class<?> tokenUpdate = api.loadClass("io.verger.api.storage.TokenUpdate");
        Class<?> queuedCommand = api.loadClass("io.verger.api.storage.QueuedCommand");

        Instant now = Instant.now();
        Object id = enrollmentId.getMethod("device", String.class).invoke(null, "IT-DEVICE-1");
        Object enrollments = service("EnrollmentStore");
        call(enrollments, "authenticate", id, enumValue(enrollmentType, "DEVICE"), deviceFacts.getField("NONE").get(null), now);
        Object push = pushTarget.getConstructors()[0].newInstance(id, new byte[] {1, 2, 3}, "magic", "com.apple.mgmt.External.it");
        Object update = tokenUpdate.getConstructors()[0].newInstance(push, null, false, null, null, now);
        assertEquals(true, call(enrollments, "tokenUpdate", update));

        Object queue = service("CommandQueue");
        Object command = queuedCommand.getMethod("of", String.class, String.class, byte[].class, Instant.class)
                .invoke(null, "IT-CMD-1", "DeviceInformation", "<plist/>".getBytes(), now);
        assertEquals(Set.of(), call(queue, "enqueue", command, List.of(id)));
        Optional<?> next = (Optional<?>) call(queue, "next", id, false, now);
        assertTrue(next.isPresent(), "the queued command is delivered");
        assertEquals("IT-CMD-1", call(next.get(), "commandUuid"));

        // a JPA store: EclipseLink works inside OSGi
        Object tokens = service("BootstrapTokenStore");
        call(tokens, "store", id, new byte[] {9, 8, 7});
        assertArrayEquals(new byte[] {9, 8, 7}, (byte[]) ((Optional<?>) call(tokens, "find", id)).orElseThrow());
        Object policies = service("PolicyStore");
        assertEquals(List.of(), call(policies, "list"));

        assertTrue(Files.exists(dir.resolve("data/db/service.properties")), "Derby database under <verger.data>/db");
        assertTrue(Files.exists(dir.resolve("data/keys/storage.key")), "the storage key under <verger.data>/keys");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    private static Object call(Object target, String name, Object... args) throws Exception {
        for (Class<?> type : target.getClass().getInterfaces().length > 0
                ? concat(target.getClass().getInterfaces(), target.getClass()) : new Class<?>[] {target.getClass()}) {
            for (Method m : type.getMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == args.length && accepts(m.getParameterTypes(), args)) {
                    return m.invoke(target, args);
                }
            }
        }
        throw new AssertionError("no method " + name + " with " + args.length + " arguments on " + target.getClass());
    }

    private static Class<?>[] concat(Class<?>[] a, Class<?> b) {
        Class<?>[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    private static boolean accepts(Class<?>[] types, Object[] args) {
        for (int i = 0; i < types.length; i++) {
            if (args[i] == null) {
                continue;
            }
            Class<?> t = types[i].isPrimitive() ? boxed(types[i]) : types[i];
            if (!t.isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    private static Class<?> boxed(Class<?> primitive) {
        return primitive == boolean.class ? Boolean.class : primitive == int.class ? Integer.class
                : primitive == long.class ? Long.class : Object.class;
    }
}
