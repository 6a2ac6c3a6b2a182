package io.verger.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots Verger: prepares data/, the TLS identity and the admin API key, then starts Felix with every bundle of
 * {@code bundle/}; FileInstall then watches {@code deploy/}.
 */
public final class VergerRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VergerRuntime.class);

    /** slf4j as seen by bundles: Jetty wants 2.x, Pushy and Netty import [1.7,2); the one API serves both. */
    static final String SLF4J_PACKAGES;

    static {
        StringBuilder sb = new StringBuilder();
        for (String version : new String[] {"2.0.17", "1.7.36"}) {
            for (String pkg : new String[] {"org.slf4j", "org.slf4j.spi", "org.slf4j.event", "org.slf4j.helpers"}) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(pkg).append(";version=").append(version);
            }
        }
        SLF4J_PACKAGES = sb.toString();
    }

    private final VergerSettings settings;
    private final Framework framework;
    private final TlsMaterial tls;

    private VergerRuntime(VergerSettings settings, Framework framework, TlsMaterial tls) {
        this.settings = settings;
        this.framework = framework;
        this.tls = tls;
    }

    public Framework framework() {
        return framework;
    }

    public VergerSettings settings() {
        return settings;
    }

    public TlsMaterial tls() {
        return tls;
    }

    /** Prepares data/ and returns the framework properties a Verger Felix needs. Also used by the itests. */
    public static Prepared prepare(VergerSettings settings) throws IOException, GeneralSecurityException {
        Path data = settings.dataDir();
        Files.createDirectories(data);
        Files.createDirectories(settings.deployDir());
        Files.createDirectories(settings.logsDir());
        TlsMaterial tls = TlsMaterial.prepare(settings, data.resolve("tls"));
        AdminApiKey key = AdminApiKey.prepare(settings, data);
        DeviceTrust deviceTrust = DeviceTrust.prepare(settings, data);

        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, data.resolve("cache").toString());
        // bundles come from bundle/ and deploy/ at every start, so a stale cache can never shadow an upgrade
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SLF4J_PACKAGES);
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1");
        p.put("felix.log.level", "1");
        p.put("ds.loglevel", "warn");

        p.put("felix.cm.dir", data.resolve("config").toString());

        p.put("felix.fileinstall.dir", settings.deployDir().toString());
        p.put("felix.fileinstall.poll", Integer.toString(settings.deployPollMillis()));
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.log.level", "3");
        p.put("felix.fileinstall.tmpdir", data.resolve("fileinstall-tmp").toString());

        p.put("org.apache.felix.https.enable", "true");
        p.put("org.osgi.service.http.port.secure", Integer.toString(settings.httpsPort()));
        p.put("org.apache.felix.https.keystore", tls.keystore().toString());
        p.put("org.apache.felix.https.keystore.password", tls.password());
        p.put("org.apache.felix.https.keystore.key.password", tls.password());
        p.put("org.apache.felix.https.keystore.type", "PKCS12");
        // devices may authenticate by mutual TLS; browsers and admin scripts need not present a certificate
        p.put("org.apache.felix.https.clientcertificate", "wants");
        // client certificates are checked against the device CAs at the TLS layer (and verified again by the identity bundle)
        p.put("org.apache.felix.https.truststore", deviceTrust.truststore().toString());
        p.put("org.apache.felix.https.truststore.password", deviceTrust.password());
        p.put("org.apache.felix.https.truststore.type", "PKCS12");
        p.put("org.apache.felix.http.enable", Boolean.toString(settings.httpPort().isPresent()));
        p.put("org.osgi.service.http.port", Integer.toString(settings.httpPort().orElse(8080)));
        settings.bind().ifPresent(b -> p.put("org.apache.felix.http.host", b));
        p.put("org.apache.felix.http.jetty.sendServerHeader", "false");

        p.put("verger.product.name", settings.productName());
        p.put("verger.organization.name", settings.organization());
        p.put("verger.version", Product.version());
        p.put("verger.home", settings.home().toString());
        p.put("verger.data", data.toString());
        p.put("verger.public.url", settings.publicUrl().toString());
        p.put("verger.https.port", Integer.toString(settings.httpsPort()));
        p.put("verger.api.key.sha256", key.sha256Hex());
        p.put("verger.tls.selfissued", Boolean.toString(tls.selfIssued()));
        settings.dbUrl().ifPresent(v -> p.put("verger.db.url", v));
        settings.dbUser().ifPresent(v -> p.put("verger.db.user", v));
        settings.dbPassword().ifPresent(v -> p.put("verger.db.password", v));
        settings.trustedCas().ifPresent(v -> p.put("verger.trusted.cas", v));
        settings.trustedProxies().ifPresent(v -> p.put("verger.trusted.proxies", v));
        p.put("verger.console.port", Integer.toString(settings.consolePort()));
        if (tls.caCertificate() != null) {
            p.put("verger.tls.ca", tls.caCertificate().toString());
        }
        return new Prepared(p, tls, key);
    }

    public record Prepared(Map<String, String> frameworkProperties, TlsMaterial tls, AdminApiKey apiKey) {
    }

    public static VergerRuntime start(VergerSettings settings) throws IOException, GeneralSecurityException, BundleException {
        return start(settings, framework -> { });
    }

    /**
     * Starts Verger; {@code onInit} is called with the framework as soon as it exists, before any bundle starts, so that
     * a shutdown hook can stop it cleanly even when Ctrl-C comes in the middle of the start.
     */
    public static VergerRuntime start(VergerSettings settings, java.util.function.Consumer<Framework> onInit)
            throws IOException, GeneralSecurityException, BundleException {
        Prepared prepared = prepare(settings);
        if (prepared.apiKey().generatedKey() != null) {
            // printed once, on purpose on the console and not only in the log file
            String line = "Generated admin API key (shown only once, keep it safe): " + prepared.apiKey().generatedKey();
            System.out.println(line);
            LOG.info("A new admin API key was generated; its SHA-256 is stored in {}", settings.dataDir().resolve(AdminApiKey.DIGEST_FILE));
        }
        Framework framework = new FrameworkFactory().newFramework(prepared.frameworkProperties());
        framework.init();
        onInit.accept(framework);
        List<Bundle> installed = new ArrayList<>();
        List<Path> jars = new ArrayList<>(bundleJars(settings.bundleDir()));
        if (Files.isDirectory(settings.modulesDir())) {
            // modules uploaded through the API survive restarts
            jars.addAll(bundleJars(settings.modulesDir()));
        }
        for (Path jar : jars) {
            try {
                installed.add(framework.getBundleContext().installBundle(jar.toUri().toString()));
            } catch (BundleException e) {
                LOG.error("Cannot install bundle {}: {}", jar.getFileName(), e.getMessage());
            }
        }
        framework.start();
        // resolve everything once, up front: parallel starts then never contend for the resolver's global lock
        framework.adapt(FrameworkWiring.class).resolveBundles(installed);
        for (Bundle b : installed) {
            if (b.getState() == Bundle.INSTALLED) {
                LOG.error("Bundle {} {} cannot be resolved (see the next error for the missing requirement)", b.getSymbolicName(), b.getVersion());
            }
        }
        startAll(installed);
        LOG.info("{} {} started: https://{}:{}/ (public URL {}), data {}", settings.productName(), Product.version(),
                settings.bind().orElse("*"), settings.httpsPort(), settings.publicUrl(), settings.dataDir());
        if (settings.get(VergerSettings.PUBLIC_URL).isEmpty()) {
            LOG.warn("{} is not set: enrollment profiles and tokens send devices to {}, which only this machine reaches; "
                    + "set it to the https URL devices use", VergerSettings.PUBLIC_URL, settings.publicUrl());
        }
        return new VergerRuntime(settings, framework, prepared.tls());
    }

    /**
     * Starts the bundles in parallel: a module that takes long to activate (opening or migrating the database,
     * generating keys) must not hold back the others, so the HTTPS endpoints answer within seconds of launch.
     * A bundle that fails to start is logged and left resolved; the others start regardless.
     */
    static final long START_TIMEOUT_SECONDS = 120;

    /**
     * Start order within the parallel start: the runtime services first (DS, configuration, HTTP), then the endpoints
     * operators and load balancers poll ({@code /version}, {@code /health}), then everything else.
     */
    static int startRank(Bundle b) {
        String name = b.getSymbolicName() == null ? "" : b.getSymbolicName();
        return switch (name) {
            case "org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.log", "org.apache.felix.http.jetty12" -> 0;
            case "io.verger.transport.http", "io.verger.logbridge" -> 1;
            default -> 2;
        };
    }

    private static void startAll(List<Bundle> bundles) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors() * 2)), r -> {
            Thread t = new Thread(r, "verger-bundle-start");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> starts = new ArrayList<>();
            List<Bundle> ordered = new ArrayList<>(bundles);
            ordered.sort(java.util.Comparator.comparingInt(VergerRuntime::startRank));
            for (Bundle b : ordered) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                    continue;
                }
                starts.add(pool.submit(() -> {
                    try {
                        b.start();
                    } catch (BundleException | RuntimeException e) {
                        LOG.error("Bundle {} {} did not start: {}", b.getSymbolicName(), b.getVersion(), e.getMessage());
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
            for (Future<?> f : starts) {
                try {
                    f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    LOG.error("Bundle start failed: {}", e.getCause().toString());
                } catch (TimeoutException e) {
                    // a module that hangs in its activation must not keep the server from running
                    LOG.error("A bundle did not finish starting within {} s; carrying on without waiting for it", START_TIMEOUT_SECONDS);
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    static List<Path> bundleJars(Path dir) throws IOException {
        List<Path> jars = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            throw new IOException("bundle directory " + dir + " does not exist: is VERGER_HOME right?");
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
            ds.forEach(jars::add);
        }
        jars.sort(null);
        return jars;
    }

    /** Blocks until the framework has stopped. */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    @Override
    public void close() {
        stop(framework);
    }

    /** Stops a framework and waits (bounded) for it: what Ctrl-C and {@code bin/verger stop} do. */
    static void stop(Framework framework) {
        try {
            framework.stop();
            FrameworkEvent e = framework.waitForStop(30_000);
            if (e.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                LOG.warn("Framework did not stop within 30 s");
            }
        } catch (BundleException e) {
            LOG.warn("Error stopping the framework: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Name and version of this build. */
    public static final class Product {
        private static final Properties PROPS = new Properties();

        static {
            try (InputStream in = Product.class.getResourceAsStream("product.properties")) {
                if (in != null) {
                    PROPS.load(in);
                }
            } catch (IOException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private Product() {
        }

        public static String version() {
            return PROPS.getProperty("version", "0.0.0");
        }
    }
}
