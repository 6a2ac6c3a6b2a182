package io.verger.api;

import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * A self-signed certificate made with {@code openssl req -x509 -subj
 * "/UID=com.apple.mgmt.External.0c0ffee0-test/CN=APSP:test push certificate"}, valid until 2126.
 */
public final class TestCertificates {

    /** {@code openssl x509 -noout -fingerprint -sha256} of the certificate, lower-cased, without colons. */
    public static final String PUSH_CERT_SHA256 = "82fbd74ca107e7bac15073028fa042b6ce02b266d5f58c46452157bfe2642a8f";

    private TestCertificates() {
    }

    public static X509Certificate pushCertificate() {
        try (InputStream in = TestCertificates.class.getResourceAsStream("test-push-certificate.pem")) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (Exception e) {
            throw new IllegalStateException("test certificate missing", e);
        }
    }
}
