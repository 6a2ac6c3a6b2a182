package io.verger.simulator.http;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Where the MDM server is and how its TLS certificate is trusted. */
public record ServerEndpoint(String host, int port, boolean tls, String hostHeader, SSLContext sslContext) {

    /**
     * @param caPem    PEM CA certificate that issued the server's certificate (Verger: data/tls/ca.crt), or null
     * @param insecure trust any server certificate (loopback benchmarks only)
     */
    public static ServerEndpoint of(URI url, Path caPem, boolean insecure) throws Exception {
        return of(url, caPem, insecure, null, null);
    }

    /**
     * The same, presenting {@code clientKey} and {@code clientCertificate} as the TLS client identity when the server
     * asks for one (a device whose MDM payload has {@code SignMessage} false authenticates so).
     */
    public static ServerEndpoint of(URI url, Path caPem, boolean insecure, PrivateKey clientKey, X509Certificate clientCertificate) throws Exception {
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        if (!tls && !"http".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException(url + ": expected an http or https URL");
        }
        int port = url.getPort() > 0 ? url.getPort() : (tls ? 443 : 80);
        String hostHeader = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        SSLContext ssl = null;
        if (tls) {
            ssl = SSLContext.getInstance("TLS");
            TrustManager[] tms;
            if (insecure) {
                tms = new TrustManager[] {new TrustAll()};
            } else if (caPem != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                try (InputStream in = Files.newInputStream(caPem)) {
                    int i = 0;
                    for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        ks.setCertificateEntry("ca" + i++, c);
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                tms = tmf.getTrustManagers();
            } else {
                tms = null;
            }
            KeyManager[] kms = null;
            if (clientKey != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("device", clientKey, new char[0], new Certificate[] {clientCertificate});
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                kms = kmf.getKeyManagers();
            }
            ssl.init(kms, tms, new SecureRandom());
        }
        return new ServerEndpoint(url.getHost(), port, tls, hostHeader, ssl);
    }

    /**
     * Whether {@code url} is served by this endpoint, so a connection to it can carry the request: same scheme and
     * port, and the same host name or one resolving to the same address (Verger's default public URL is
     * {@code https://localhost:<port>} while the simulator is pointed at 127.0.0.1).
     */
    public boolean serves(URI url) {
        boolean urlTls = "https".equalsIgnoreCase(url.getScheme());
        int urlPort = url.getPort() > 0 ? url.getPort() : (urlTls ? 443 : 80);
        if (urlTls != tls || urlPort != port || url.getHost() == null) {
            return false;
        }
        if (host.equalsIgnoreCase(url.getHost())) {
            return true;
        }
        try {
            java.util.Set<java.net.InetAddress> ours = java.util.Set.of(java.net.InetAddress.getAllByName(host));
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(url.getHost())) {
                if (ours.contains(a)) {
                    return true;
                }
            }
        } catch (java.net.UnknownHostException e) {
            return false;
        }
        return false;
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
