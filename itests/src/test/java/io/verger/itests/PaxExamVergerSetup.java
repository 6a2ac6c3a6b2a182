package io.verger.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.repository;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;
import org.osgi.framework.Constants;

import io.verger.launcher.VergerRuntime;
import io.verger.launcher.VergerSettings;

/**
 * The Pax Exam configuration of {@link VergerBundlesPaxExamIT}, kept apart from the test class on purpose: it runs
 * only outside OSGi (in the {@code @Configuration} method) and uses the launcher, which no bundle exports. The probe
 * bundle carries this class too, but nothing inside the framework loads it, so the probe never needs
 * {@code io.verger.launcher}.
 */
final class PaxExamVergerSetup {

    /** Pax Exam's own: its native container sets the bundle cache (a fresh temp folder) and its system packages. */
    private static final List<String> OWNED_BY_PAX_EXAM = List.of(Constants.FRAMEWORK_STORAGE, Constants.FRAMEWORK_STORAGE_CLEAN,
            Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA);

    private PaxExamVergerSetup() {
    }

    /**
     * A temp Verger home prepared by {@link VergerRuntime#prepare} (data/, TLS, API key digest), its framework
     * properties, every jar of the distribution's {@code bundle/}, the test plugin, and JUnit for the probe.
     */
    static Option[] options(String apiKey) throws IOException, java.security.GeneralSecurityException {
        Path dist = TestDirs.distribution();
        Path home = Files.createTempDirectory("verger-paxexam-");
        deleteOnExit(home);
        Files.createSymbolicLink(home.resolve("bundle"), dist.resolve("bundle"));
        Files.createDirectories(home.resolve("conf"));
        if (Files.isRegularFile(dist.resolve("conf/verger.properties"))) {
            Files.copy(dist.resolve("conf/verger.properties"), home.resolve("conf/verger.properties"));
        }

        Map<String, String> env = new HashMap<>();
        env.put(VergerSettings.HTTPS_PORT, Integer.toString(TestDirs.freePort()));
        env.put(VergerSettings.BIND, "127.0.0.1");
        env.put(VergerSettings.API_KEY, apiKey);
        VergerRuntime.Prepared prepared = VergerRuntime.prepare(VergerSettings.load(home, env));

        List<Option> options = new ArrayList<>();
        options.add(cleanCaches(true));
        // Pax Exam provisions its own bundles through mvn: URLs (behind link:classpath:), which pax-url-aether takes
        // from the local repository failsafe names, else downloads from Central; a repositories setting given on
        // the command line wins
        if (System.getProperty("org.ops4j.pax.url.mvn.repositories") == null) {
            options.add(repository("https://repo1.maven.org/maven2").id("central"));
        }
        prepared.frameworkProperties().forEach((key, value) -> {
            if (!OWNED_BY_PAX_EXAM.contains(key)) {
                options.add(frameworkProperty(key).value(value));
            }
        });
        // Pax Exam builds org.osgi.framework.system.packages.extra from systemPackage options (adding its own
        // org.ops4j.pax.exam packages); a frameworkProperty would replace them
        String extra = prepared.frameworkProperties().get(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA);
        if (extra != null) {
            for (String clause : splitClauses(extra)) {
                options.add(systemPackage(clause));
            }
        }
        for (Path jar : VergerBundlesPaxExamIT.distributionBundles()) {
            options.add(bundle(VergerBundlesPaxExamIT.location(jar)));
        }
        options.add(bundle(VergerBundlesPaxExamIT.location(TestDirs.testPlugin())));
        // JUnit 4.13.2 and Hamcrest 1.3 (the versions on the test class path) as bundles, and Pax Exam's JUnit invoker
        options.add(junitBundles());
        return options.toArray(new Option[0]);
    }

    /** Splits a package list at the commas that are not inside quotes. */
    static List<String> splitClauses(String packages) {
        List<String> clauses = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : packages.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                add(clauses, current);
            } else {
                current.append(c);
            }
        }
        add(clauses, current);
        return clauses;
    }

    private static void add(List<String> clauses, StringBuilder clause) {
        String s = clause.toString().trim();
        if (!s.isEmpty()) {
            clauses.add(s);
        }
        clause.setLength(0);
    }

    private static void deleteOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> files = Files.walk(dir)) {
                // the bundle/ symlink is deleted as a link; walk does not follow it
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: it is a temp dir
            }
        }, "delete " + dir));
    }
}
