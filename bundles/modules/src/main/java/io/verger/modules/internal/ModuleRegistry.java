package io.verger.modules.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules (bundles) of the running server, and the admin's operations on them. Uploaded modules are kept in
 * {@code <data>/modules/} and installed again by the launcher at every start, so they survive a restart.
 *
 * <p>An upload is checked before it can affect anything: a jar that is not a bundle is refused; a bundle that does
 * not resolve or whose activation fails is uninstalled again (an update is rolled back to the previous jar), and the
 * caller gets the framework's reason. Activation runs on a separate thread with a deadline, so a module that hangs
 * in its activator cannot hang the API.
 */
@Component(service = ModuleRegistry.class)
public final class ModuleRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleRegistry.class);
    static final long START_TIMEOUT_SECONDS = 20;
    static final String LOCATION_PREFIX = "verger-module:";

    /** A refused operation: HTTP status and the reason for the admin. */
    static final class ModuleException extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        ModuleException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final BundleContext context;
    private final Path modulesDir;
    private final ExecutorService starter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "verger-module-start");
        t.setDaemon(true);
        return t;
    });

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;

    @Activate
    public ModuleRegistry(BundleContext context) {
        this.context = context;
        String data = context.getProperty("verger.data");
        this.modulesDir = Path.of(data == null ? "data" : data).resolve("modules");
    }

    @Deactivate
    void deactivate() {
        starter.shutdownNow();
    }

    // ---- reading -----------------------------------------------------------------------------------------

    List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        Bundle[] bundles = context.getBundles();
        java.util.Arrays.sort(bundles, Comparator.comparingLong(Bundle::getBundleId));
        for (Bundle b : bundles) {
            out.add(describe(b));
        }
        return out;
    }

    Optional<Bundle> bundle(long id) {
        return Optional.ofNullable(context.getBundle(id));
    }

    Map<String, Object> describe(Bundle b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.getBundleId());
        m.put("symbolicName", b.getSymbolicName());
        m.put("version", b.getVersion().toString());
        m.put("state", state(b));
        String name = b.getHeaders().get(Constants.BUNDLE_NAME);
        if (name != null) {
            m.put("name", name);
        }
        m.put("uploaded", isUploaded(b));
        m.put("fragment", b.getHeaders().get(Constants.FRAGMENT_HOST) != null);
        Map<String, Object> provides = provides(b);
        if (!provides.isEmpty()) {
            m.put("provides", provides);
        }
        List<String> failures = failures(b);
        if (!failures.isEmpty()) {
            m.put("failures", failures);
        }
        return m;
    }

    static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "UNKNOWN";
        };
    }

    private boolean isUploaded(Bundle b) {
        String loc = b.getLocation();
        return loc.startsWith(LOCATION_PREFIX) || loc.startsWith(modulesDir.toUri().toString());
    }

    /** What a bundle provides that Verger cares about: command types, policy modules, push, storage, identity. */
    private Map<String, Object> provides(Bundle b) {
        Map<String, Object> out = new LinkedHashMap<>();
        ServiceReference<?>[] refs = b.getRegisteredServices();
        if (refs == null) {
            return out;
        }
        TreeSet<String> commandTypes = new TreeSet<>();
        TreeSet<String> policyModules = new TreeSet<>();
        TreeSet<String> push = new TreeSet<>();
        TreeSet<String> storage = new TreeSet<>();
        TreeSet<String> identity = new TreeSet<>();
        for (ServiceReference<?> ref : refs) {
            for (String cls : (String[]) ref.getProperty(Constants.OBJECTCLASS)) {
                switch (cls) {
                    case "io.verger.api.command.CommandType" -> commandTypes.add(call(ref, "requestType"));
                    case "io.verger.api.policy.PolicyModule" -> policyModules.add(call(ref, "payloadType"));
                    case "io.verger.api.push.PushProvider" -> push.add("PushProvider");
                    case "io.verger.api.signing.ProfileSigner", "io.verger.api.identity.CertificateAuthority",
                            "io.verger.api.identity.IdentityVerifier" -> identity.add(simple(cls));
                    default -> {
                        if (cls.startsWith("io.verger.api.storage.")) {
                            storage.add(simple(cls));
                        }
                    }
                }
            }
        }
        putIfAny(out, "commandTypes", commandTypes);
        putIfAny(out, "policyModules", policyModules);
        putIfAny(out, "push", push);
        putIfAny(out, "storage", storage);
        putIfAny(out, "identity", identity);
        return out;
    }

    private static void putIfAny(Map<String, Object> m, String k, TreeSet<String> v) {
        if (!v.isEmpty()) {
            m.put(k, new ArrayList<>(v));
        }
    }

    private static String simple(String cls) {
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    /** Asks a plugin service its name (e.g. a CommandType its RequestType) without linking to the API class. */
    private String call(ServiceReference<?> ref, String method) {
        Object service = null;
        try {
            service = context.getService(ref);
            if (service == null) {
                return "?";
            }
            Object v = service.getClass().getMethod(method).invoke(service);
            return String.valueOf(v);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "? (" + method + " failed: " + e + ")";
        } finally {
            if (service != null) {
                try {
                    context.ungetService(ref);
                } catch (RuntimeException ignored) {
                    // the bundle went away meanwhile
                }
            }
        }
    }

    /** Why a bundle is not working: not resolved, not started, or components that failed to activate. */
    List<String> failures(Bundle b) {
        List<String> out = new ArrayList<>();
        boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
        if (!fragment && b.getBundleId() != 0) {
            if (b.getState() == Bundle.INSTALLED) {
                out.add("not resolved: a requirement is missing");
            } else if (b.getState() == Bundle.RESOLVED) {
                out.add("resolved but not started");
            }
        }
        ServiceComponentRuntime runtime = scr;
        if (runtime != null) {
            try {
                for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(b)) {
                    for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                        if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                            out.add("component " + d.name + " failed to activate" + (c.failure == null ? "" : ": " + firstLine(c.failure)));
                        }
                    }
                }
            } catch (RuntimeException e) {
                // the bundle is going away
            }
        }
        return out;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // ---- changing ----------------------------------------------------------------------------------------

    /** Installs and starts an uploaded jar; refuses (and leaves nothing behind) what is not a working bundle. */
    synchronized Map<String, Object> install(byte[] jar) throws ModuleException {
        String bsn = symbolicName(jar);
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                throw new ModuleException(409, "a module " + bsn + " " + b.getVersion() + " is already installed (id " + b.getBundleId()
                        + "); update it with PUT /api/v1/modules/" + b.getBundleId());
            }
        }
        Bundle bundle;
        try {
            bundle = context.installBundle(LOCATION_PREFIX + bsn, new ByteArrayInputStream(jar));
        } catch (BundleException e) {
            throw new ModuleException(422, "cannot install " + bsn + ": " + e.getMessage());
        }
        try {
            resolveAndStart(bundle);
        } catch (ModuleException e) {
            try {
                bundle.uninstall();
                refresh(bundle);
            } catch (BundleException | IllegalStateException ignored) {
                // already gone
            }
            throw e;
        }
        persist(bsn, jar);
        LOG.info("Module {} {} installed (id {})", bsn, bundle.getVersion(), bundle.getBundleId());
        return describe(bundle);
    }

    /** Replaces a bundle by a new version of itself; a new version that does not work is rolled back. */
    synchronized Map<String, Object> update(long id, byte[] jar) throws ModuleException {
        Bundle bundle = existing(id);
        String bsn = symbolicName(jar);
        if (!bsn.equals(bundle.getSymbolicName())) {
            throw new ModuleException(409, "module " + id + " is " + bundle.getSymbolicName() + "; the upload is " + bsn);
        }
        byte[] previous = readPersisted(bsn);
        if (previous == null && bundle.getLocation().startsWith("file:")) {
            try {
                previous = Files.readAllBytes(Path.of(java.net.URI.create(bundle.getLocation())));
            } catch (IOException | IllegalArgumentException e) {
                previous = null;
            }
        }
        String oldVersion = bundle.getVersion().toString();
        try {
            bundle.update(new ByteArrayInputStream(jar));
            refresh(bundle);
            resolveAndStart(bundle);
        } catch (BundleException | ModuleException e) {
            String reason = e instanceof ModuleException m ? m.getMessage() : e.getMessage();
            if (previous != null) {
                try {
                    bundle.update(new ByteArrayInputStream(previous));
                    refresh(bundle);
                    resolveAndStart(bundle);
                    LOG.warn("Update of {} refused ({}); version {} restored", bsn, reason, oldVersion);
                } catch (BundleException | ModuleException rollback) {
                    LOG.error("Update of {} refused and the rollback failed: {}", bsn, rollback.getMessage());
                }
            }
            throw new ModuleException(422, "update of " + bsn + " refused: " + reason);
        }
        if (isUploaded(bundle)) {
            persist(bsn, jar);
        }
        LOG.info("Module {} updated from {} to {}", bsn, oldVersion, bundle.getVersion());
        return describe(bundle);
    }

    synchronized Map<String, Object> uninstall(long id) throws ModuleException {
        Bundle bundle = existing(id);
        if (bundle.getBundleId() == context.getBundle().getBundleId()) {
            throw new ModuleException(409, "the module manager cannot uninstall itself");
        }
        Map<String, Object> before = describe(bundle);
        try {
            bundle.uninstall();
            refresh(bundle);
        } catch (BundleException e) {
            throw new ModuleException(409, "cannot uninstall " + bundle.getSymbolicName() + ": " + e.getMessage());
        }
        try {
            Files.deleteIfExists(modulesDir.resolve(bundle.getSymbolicName() + ".jar"));
        } catch (IOException e) {
            LOG.warn("Could not delete the stored jar of {}: {}", bundle.getSymbolicName(), e.getMessage());
        }
        LOG.info("Module {} {} uninstalled", before.get("symbolicName"), before.get("version"));
        return before;
    }

    private Bundle existing(long id) throws ModuleException {
        Bundle b = context.getBundle(id);
        if (b == null) {
            throw new ModuleException(404, "no module with id " + id);
        }
        if (id == 0) {
            throw new ModuleException(409, "the framework itself cannot be changed");
        }
        return b;
    }

    private void resolveAndStart(Bundle bundle) throws ModuleException {
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
            return;
        }
        Future<?> start = starter.submit(() -> {
            bundle.start();
            return null;
        });
        try {
            start.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ModuleException(422, bundle.getSymbolicName() + " did not finish starting within " + START_TIMEOUT_SECONDS + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw new ModuleException(422, bundle.getSymbolicName() + " does not start: " + (cause == null ? e : cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleException(503, "interrupted");
        }
        List<String> failures = failures(bundle);
        if (!failures.isEmpty() && bundle.getState() != Bundle.ACTIVE) {
            throw new ModuleException(422, bundle.getSymbolicName() + ": " + String.join("; ", failures));
        }
    }

    private void refresh(Bundle bundle) {
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> done.countDown());
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String symbolicName(byte[] jar) throws ModuleException {
        Manifest mf;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            mf = in.getManifest();
        } catch (IOException e) {
            throw new ModuleException(400, "not a jar file: " + e.getMessage());
        }
        if (mf == null) {
            throw new ModuleException(400, "not an OSGi bundle: the jar has no manifest");
        }
        String bsn = mf.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (bsn == null || bsn.isBlank() || !"2".equals(String.valueOf(mf.getMainAttributes().getValue(Constants.BUNDLE_MANIFESTVERSION)).trim())) {
            throw new ModuleException(400, "not an OSGi bundle: the manifest has no Bundle-SymbolicName (or Bundle-ManifestVersion is not 2)");
        }
        int semi = bsn.indexOf(';');
        String name = (semi < 0 ? bsn : bsn.substring(0, semi)).trim();
        if (!name.matches("[A-Za-z0-9_.\\-]+")) {
            throw new ModuleException(400, "Bundle-SymbolicName '" + name + "' has characters not allowed here");
        }
        return name;
    }

    private void persist(String bsn, byte[] jar) {
        try {
            Files.createDirectories(modulesDir);
            Path tmp = Files.createTempFile(modulesDir, bsn, ".part");
            Files.write(tmp, jar);
            Files.move(tmp, modulesDir.resolve(bsn + ".jar"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.error("Module {} is installed but could not be stored in {} (it will be gone after a restart): {}", bsn, modulesDir, e.getMessage());
        }
    }

    private byte[] readPersisted(String bsn) {
        Path p = modulesDir.resolve(bsn + ".jar");
        try {
            return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
