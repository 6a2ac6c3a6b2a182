package io.verger.push.apns.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * The validated configuration of the provider: one immutable snapshot, replaced as a whole when the
 * configuration changes.
 *
 * @param host               the APNs host
 * @param port               the APNs port
 * @param trustedServerCa    the CA certificates to trust instead of the JDK's, or an empty list
 * @param trustedServerCaSource where {@code trustedServerCa} came from, for messages; {@code null} if none
 * @param concurrency        notifications in flight at most, retries waiting for their turn included
 * @param expiration         how long APNs keeps a notification for an offline device; zero: deliver once
 * @param maxAttempts        sends per notification at most (first try included)
 * @param retryInitial       the backoff before the first retry
 * @param retryMax           the longest backoff
 * @param circuitThreshold   consecutive failures that open a topic's circuit
 * @param circuitWindow      failures further apart than this do not count as consecutive
 * @param circuitOpen        how long an open circuit fails fast
 * @param certificateCheck   how often the certificate store is asked whether a topic's certificate changed
 * @param connectionsPerTopic HTTP/2 connections per topic
 * @param connectTimeout     TCP and TLS connect timeout
 */
record ApnsSettings(String host, int port, List<X509Certificate> trustedServerCa, String trustedServerCaSource,
        int concurrency, Duration expiration, int maxAttempts, Duration retryInitial, Duration retryMax,
        int circuitThreshold, Duration circuitWindow, Duration circuitOpen, Duration certificateCheck,
        int connectionsPerTopic, Duration connectTimeout) {

    static final String PRODUCTION_HOST = "api.push.apple.com";
    static final String SANDBOX_HOST = "api.sandbox.push.apple.com";

    ApnsSettings {
        trustedServerCa = List.copyOf(trustedServerCa);
    }

    /**
     * @throws IllegalArgumentException naming the setting and the value when one is out of range
     *                                  or the trusted CA file cannot be read
     */
    static ApnsSettings from(ApnsPushProvider.Config c) {
        String host = c.host() == null ? "" : c.host().trim();
        if (host.isEmpty()) {
            host = PRODUCTION_HOST;
        }
        if (c.sandbox() && host.equals(PRODUCTION_HOST)) {
            host = SANDBOX_HOST;
        }
        require(c.port() > 0 && c.port() <= 65535, "port", c.port(), "1..65535");
        require(c.concurrency() >= 1, "concurrency", c.concurrency(), "at least 1");
        require(c.expirationSeconds() >= 0, "expirationSeconds", c.expirationSeconds(), "0 or more");
        require(c.maxAttempts() >= 1, "maxAttempts", c.maxAttempts(), "at least 1");
        require(c.retryInitialMillis() >= 1, "retryInitialMillis", c.retryInitialMillis(), "at least 1");
        require(c.retryMaxMillis() >= c.retryInitialMillis(), "retryMaxMillis", c.retryMaxMillis(),
                "at least retryInitialMillis (" + c.retryInitialMillis() + ")");
        require(c.circuitFailureThreshold() >= 1, "circuitFailureThreshold", c.circuitFailureThreshold(), "at least 1");
        require(c.circuitWindowMillis() >= 1, "circuitWindowMillis", c.circuitWindowMillis(), "at least 1");
        require(c.circuitOpenMillis() >= 1, "circuitOpenMillis", c.circuitOpenMillis(), "at least 1");
        require(c.certificateCheckMillis() >= 0, "certificateCheckMillis", c.certificateCheckMillis(), "0 or more");
        require(c.connectionsPerTopic() >= 1, "connectionsPerTopic", c.connectionsPerTopic(), "at least 1");
        require(c.connectTimeoutMillis() >= 1, "connectTimeoutMillis", c.connectTimeoutMillis(), "at least 1");

        String caFile = c.trustedServerCa() == null ? "" : c.trustedServerCa().trim();
        List<X509Certificate> ca = caFile.isEmpty() ? List.of() : readPem(Path.of(caFile));
        return new ApnsSettings(host, c.port(), ca, caFile.isEmpty() ? null : caFile, c.concurrency(),
                Duration.ofSeconds(c.expirationSeconds()), c.maxAttempts(), Duration.ofMillis(c.retryInitialMillis()),
                Duration.ofMillis(c.retryMaxMillis()), c.circuitFailureThreshold(), Duration.ofMillis(c.circuitWindowMillis()),
                Duration.ofMillis(c.circuitOpenMillis()), Duration.ofMillis(c.certificateCheckMillis()),
                c.connectionsPerTopic(), Duration.ofMillis(c.connectTimeoutMillis()));
    }

    /** @return where pushes go, for messages */
    String server() {
        return host + ":" + port;
    }

    private static void require(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("configuration " + ApnsPushProvider.PID + ": " + key + " = " + value
                    + " is invalid, expected " + expected);
        }
    }

    private static List<X509Certificate> readPem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("configuration " + ApnsPushProvider.PID + ": trustedServerCa file "
                        + file + " holds no PEM certificate");
            }
            return certs;
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("configuration " + ApnsPushProvider.PID + ": cannot read trustedServerCa file "
                    + file + " as PEM certificates: " + e.getMessage(), e);
        }
    }
}
