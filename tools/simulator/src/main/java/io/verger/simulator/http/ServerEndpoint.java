package io.verger.simulator.http;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

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
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
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
            ssl.init(null, tms, new SecureRandom());
        }
        return new ServerEndpoint(url.getHost(), port, tls, hostHeader, ssl);
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
