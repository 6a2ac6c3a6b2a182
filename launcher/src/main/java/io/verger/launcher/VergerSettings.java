package io.verger.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The operator's settings. Each setting is named like its environment variable ({@code VERGER_HTTPS_PORT}, ...);
 * the environment wins over {@code conf/verger.properties}, which wins over the default.
 */
public final class VergerSettings {

    public static final String HOME = "VERGER_HOME";
    public static final String HTTPS_PORT = "VERGER_HTTPS_PORT";
    public static final String HTTP_PORT = "VERGER_HTTP_PORT";
    public static final String BIND = "VERGER_BIND";
    public static final String PUBLIC_URL = "VERGER_PUBLIC_URL";
    public static final String DATA = "VERGER_DATA";
    public static final String LOGS = "VERGER_LOGS";
    public static final String LOG_LEVEL = "VERGER_LOG_LEVEL";
    public static final String API_KEY = "VERGER_API_KEY";
    public static final String TLS_CERT = "VERGER_TLS_CERT";
    public static final String TLS_KEY = "VERGER_TLS_KEY";
    public static final String TLS_KEYSTORE = "VERGER_TLS_KEYSTORE";
    public static final String TLS_KEYSTORE_PASSWORD = "VERGER_TLS_KEYSTORE_PASSWORD";
    public static final String DEPLOY = "VERGER_DEPLOY";
    public static final String DEPLOY_POLL_MS = "VERGER_DEPLOY_POLL_MS";
    public static final String PRODUCT_NAME = "VERGER_PRODUCT_NAME";
    public static final String DB_URL = "VERGER_DB_URL";
    public static final String DB_USER = "VERGER_DB_USER";
    public static final String DB_PASSWORD = "VERGER_DB_PASSWORD";
    public static final String TRUSTED_CAS = "VERGER_TRUSTED_CAS";
    public static final String TRUSTED_PROXIES = "VERGER_TRUSTED_PROXIES";
    public static final String CONSOLE_PORT = "VERGER_CONSOLE_PORT";
    public static final String ORGANIZATION = "VERGER_ORGANIZATION";

    public static final int DEFAULT_HTTPS_PORT = 8443;

    private final Map<String, String> values;
    private final Path home;

    private VergerSettings(Path home, Map<String, String> values) {
        this.home = home;
        this.values = values;
    }

    /**
     * Reads {@code conf/verger.properties} under {@code home} (if present) and lays {@code environment} over it.
     */
    public static VergerSettings load(Path home, Map<String, String> environment) throws IOException {
        Map<String, String> merged = new HashMap<>();
        Path conf = home.resolve("conf").resolve("verger.properties");
        if (Files.isRegularFile(conf)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(conf)) {
                p.load(in);
            }
            for (String name : p.stringPropertyNames()) {
                String v = p.getProperty(name).trim();
                if (!v.isEmpty()) {
                    merged.put(name.trim(), v);
                }
            }
        }
        environment.forEach((k, v) -> {
            if (k.startsWith("VERGER_") && v != null && !v.isBlank()) {
                merged.put(k, v.trim());
            }
        });
        VergerSettings settings = new VergerSettings(home.toAbsolutePath().normalize(), merged);
        settings.validate();
        return settings;
    }

    private void validate() {
        httpsPort();
        httpPort();
        publicUrl();
        if (tlsCertificate().isPresent() != tlsKey().isPresent()) {
            throw new IllegalArgumentException(TLS_CERT + " and " + TLS_KEY + " must be set together");
        }
        if (tlsCertificate().isPresent() && tlsKeystore().isPresent()) {
            throw new IllegalArgumentException("set either " + TLS_CERT + "/" + TLS_KEY + " or " + TLS_KEYSTORE + ", not both");
        }
        logLevel();
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public Path home() {
        return home;
    }

    public Path confDir() {
        return home.resolve("conf");
    }

    public Path bundleDir() {
        return home.resolve("bundle");
    }

    public Path dataDir() {
        return get(DATA).map(this::path).orElse(home.resolve("data"));
    }

    public Path logsDir() {
        return get(LOGS).map(this::path).orElse(home.resolve("logs"));
    }

    public Path deployDir() {
        return get(DEPLOY).map(this::path).orElse(home.resolve("deploy"));
    }

    public int deployPollMillis() {
        return get(DEPLOY_POLL_MS).map(v -> port(DEPLOY_POLL_MS, v, 50, 60_000)).orElse(500);
    }

    public int httpsPort() {
        return get(HTTPS_PORT).map(v -> port(HTTPS_PORT, v, 1, 65535)).orElse(DEFAULT_HTTPS_PORT);
    }

    /** Plain HTTP for use behind a TLS-terminating proxy; empty (off) unless set. */
    public Optional<Integer> httpPort() {
        return get(HTTP_PORT).map(v -> port(HTTP_PORT, v, 1, 65535));
    }

    /** The listen address; empty means all interfaces. */
    public Optional<String> bind() {
        return get(BIND);
    }

    /** The URL devices reach; by default {@code https://localhost:<https port>}. */
    public URI publicUrl() {
        String raw = get(PUBLIC_URL).orElse("https://localhost:" + httpsPort());
        try {
            URI uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            if (uri.getHost() == null || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                throw new IllegalArgumentException(PUBLIC_URL + " must be an absolute http(s) URL with a host, got '" + raw + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(PUBLIC_URL + " is not a valid URL: '" + raw + "' (" + e.getMessage() + ")");
        }
    }

    public Optional<String> apiKey() {
        return get(API_KEY);
    }

    public Optional<Path> tlsCertificate() {
        return get(TLS_CERT).map(this::path);
    }

    public Optional<Path> tlsKey() {
        return get(TLS_KEY).map(this::path);
    }

    public Optional<Path> tlsKeystore() {
        return get(TLS_KEYSTORE).map(this::path);
    }

    public Optional<String> tlsKeystorePassword() {
        return get(TLS_KEYSTORE_PASSWORD);
    }

    public String logLevel() {
        String level = get(LOG_LEVEL).orElse("INFO").toUpperCase(Locale.ROOT);
        switch (level) {
            case "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF":
                return level;
            default:
                throw new IllegalArgumentException(LOG_LEVEL + " must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF; got '" + level + "'");
        }
    }

    public String productName() {
        return get(PRODUCT_NAME).orElse("Verger");
    }

    /** The organization shown in enrollment profiles (PayloadOrganization); defaults to the product name. */
    public String organization() {
        return get(ORGANIZATION).orElse(productName());
    }

    /** JDBC URL of the database; empty means embedded Derby under the data directory. */
    public Optional<String> dbUrl() {
        return get(DB_URL);
    }

    public Optional<String> dbUser() {
        return get(DB_USER);
    }

    public Optional<String> dbPassword() {
        return get(DB_PASSWORD);
    }

    /** Extra trusted device-identity CAs: comma-separated PEM file paths (absolute, or relative to the home). */
    public Optional<String> trustedCas() {
        return get(TRUSTED_CAS).map(list -> {
            StringBuilder sb = new StringBuilder();
            for (String part : list.split(",")) {
                if (!part.isBlank()) {
                    sb.append(sb.length() == 0 ? "" : ",").append(path(part.trim()));
                }
            }
            return sb.toString();
        });
    }

    /** Addresses (IPs or CIDRs, comma-separated) of TLS-terminating proxies allowed to pass a Client-Cert header. */
    public Optional<String> trustedProxies() {
        return get(TRUSTED_PROXIES);
    }

    /** Port of the Gogo console on 127.0.0.1 (default 8101; 0 turns it off). */
    public int consolePort() {
        return get(CONSOLE_PORT).map(v -> "0".equals(v.trim()) ? 0 : port(CONSOLE_PORT, v, 1, 65535)).orElse(8101);
    }

    /** Where modules uploaded through the API are kept (installed again at every start). */
    public Path modulesDir() {
        return dataDir().resolve("modules");
    }

    private Path path(String value) {
        Path p = Path.of(value);
        return (p.isAbsolute() ? p : home.resolve(p)).normalize();
    }

    private static int port(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
        }
    }
}
