package io.verger.launcher;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code java -Dverger.home=<dir> -jar verger-launcher.jar}: runs Verger in the foreground until stopped
 * (SIGTERM / Ctrl-C stop the framework cleanly).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        String homeProp = System.getProperty("verger.home", System.getenv().getOrDefault(VergerSettings.HOME, "."));
        VergerSettings settings;
        try {
            settings = VergerSettings.load(Path.of(homeProp), System.getenv());
        } catch (Exception e) {
            System.err.println("verger: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        // logback reads these from its configuration file (conf/logback.xml)
        System.setProperty("verger.logs", settings.logsDir().toString());
        System.setProperty("verger.log.level", settings.logLevel());
        System.setProperty("verger.product.name", settings.productName());
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Logger log = LoggerFactory.getLogger(Main.class);

        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicReference<org.osgi.framework.launch.Framework> started = new java.util.concurrent.atomic.AtomicReference<>();
        // registered before any bundle starts: Ctrl-C during the start still stops the framework cleanly
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            org.osgi.framework.launch.Framework framework = started.get();
            if (framework != null) {
                log.info("Shutting down {}", settings.productName());
                VergerRuntime.stop(framework);
                log.info("{} stopped", settings.productName());
            }
        }, "verger-shutdown"));
        VergerRuntime runtime;
        try {
            runtime = VergerRuntime.start(settings, started::set);
        } catch (Exception e) {
            log.error("{} failed to start: {}", settings.productName(), e.getMessage(), e);
            System.exit(1);
            return;
        }
        log.info("Framework up in {} ms", (System.nanoTime() - t0) / 1_000_000);
        try {
            runtime.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
