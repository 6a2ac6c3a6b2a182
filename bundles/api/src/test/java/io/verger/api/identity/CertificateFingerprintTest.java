package io.verger.api.identity;

import io.verger.api.EnrollmentId;
import io.verger.api.TestCertificates;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CertificateFingerprintTest {

    @Test
    void isTheSha256OfTheDerEncoding() {
        assertEquals(TestCertificates.PUSH_CERT_SHA256,
                CertificateFingerprint.of(TestCertificates.pushCertificate()).sha256Hex());
        // FIPS 180-2 test vector: SHA-256("abc")
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                CertificateFingerprint.of("abc".getBytes(StandardCharsets.US_ASCII)).toString());
    }

    @Test
    void acceptsOnlySixtyFourLowerCaseHexDigits() {
        assertThrows(IllegalArgumentException.class, () -> new CertificateFingerprint("ABC"));
        assertThrows(IllegalArgumentException.class,
                () -> new CertificateFingerprint(TestCertificates.PUSH_CERT_SHA256.toUpperCase()));
        assertThrows(NullPointerException.class, () -> new CertificateFingerprint(null));
    }

    @Test
    void verifiedIdentityIsBoundToADeviceChannelOnly() {
        var cert = TestCertificates.pushCertificate();
        VerifiedIdentity unbound = new VerifiedIdentity(List.of(cert), IdentitySource.MDM_SIGNATURE, null);
        assertNull(unbound.boundTo());
        assertEquals(TestCertificates.PUSH_CERT_SHA256, unbound.fingerprint().sha256Hex());
        assertEquals(cert, unbound.certificate());
        assertThrows(IllegalArgumentException.class, () -> new VerifiedIdentity(List.of(cert),
                IdentitySource.TLS_CLIENT_CERTIFICATE, EnrollmentId.user("UDID-1", "user")));
        assertThrows(IllegalArgumentException.class,
                () -> new VerifiedIdentity(List.of(), IdentitySource.TLS_CLIENT_CERTIFICATE, null));
    }

    @Test
    void refusalCarriesItsReason() {
        IdentityVerificationException e = new IdentityVerificationException(
                IdentityVerificationException.Reason.BOUND_ELSEWHERE, "bound to UDID-2");
        assertEquals(IdentityVerificationException.Reason.BOUND_ELSEWHERE, e.reason());
    }
}
