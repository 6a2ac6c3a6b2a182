package io.verger.identity.internal;

import io.verger.api.identity.IdentitySource;
import io.verger.api.identity.IdentityVerificationException.Reason;
import io.verger.api.identity.VerifiedIdentity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.verger.identity.internal.ChainVerificationTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientCertHeaderTest {

    @TempDir
    static Path data;
    static VerifierFixture fixture;
    static TestDevice device;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = new VerifierFixture(data);
        device = TestDevice.ec("secp256r1").enroll(fixture.ca, "CN=behind-proxy", Duration.ofDays(30));
    }

    @Test
    void acceptsTheHeaderFromATrustedProxy() throws Exception {
        DeviceIdentityVerifier verifier = fixture.verifier("trustedProxies", "10.0.0.5, 192.168.0.0/16");
        VerifiedIdentity identity = verifier.verifyClientCertHeader(device.clientCertHeader(), List.of(), "192.168.7.9");
        assertEquals(device.certificate(), identity.certificate());
        assertEquals(IdentitySource.CLIENT_CERT_HEADER, identity.source());
        verifier.verifyClientCertHeader(device.clientCertHeader(), List.of(device.clientCertChainHeader()), "10.0.0.5");
    }

    @Test
    void trustedProxiesComeFromTheFrameworkPropertyUnlessConfigured() throws Exception {
        DeviceIdentityVerifier fromProperty = fixture.verifier(Map.of(DeviceIdentityVerifier.TRUSTED_PROXIES_PROPERTY, "127.0.0.1"));
        fromProperty.verifyClientCertHeader(device.clientCertHeader(), List.of(), "127.0.0.1");
        DeviceIdentityVerifier configured = fixture.verifier(Map.of(DeviceIdentityVerifier.TRUSTED_PROXIES_PROPERTY, "127.0.0.1"),
                "trustedProxies", "10.1.1.1");
        refused(Reason.UNTRUSTED, () -> configured.verifyClientCertHeader(device.clientCertHeader(), List.of(), "127.0.0.1"));
    }

    @Test
    void refusesTheHeaderFromAnyOtherAddress() {
        DeviceIdentityVerifier verifier = fixture.verifier("trustedProxies", "10.0.0.0/8");
        var e = refused(Reason.UNTRUSTED, () -> verifier.verifyClientCertHeader(device.clientCertHeader(), List.of(), "203.0.113.7"));
        assertTrue(e.getMessage().contains("203.0.113.7"), e.getMessage());
        refused(Reason.UNTRUSTED, () -> verifier.verifyClientCertHeader(device.clientCertHeader(), List.of(), null));
        refused(Reason.UNTRUSTED, () -> verifier.verifyClientCertHeader(device.clientCertHeader(), List.of(), "localhost"));
    }

    @Test
    void refusesClientCertHeaderIdentitiesWhenNoProxyIsTrusted() {
        DeviceIdentityVerifier verifier = fixture.verifier();
        refused(Reason.UNTRUSTED, () -> verifier.verifyClientCertHeader(device.clientCertHeader(), List.of(), "127.0.0.1"));
        refused(Reason.UNTRUSTED, () -> verifier.verify(device.chain(), IdentitySource.CLIENT_CERT_HEADER));
    }

    @Test
    void refusesMissingAndMalformedHeaders() {
        DeviceIdentityVerifier verifier = fixture.verifier("trustedProxies", "10.0.0.5");
        refused(Reason.MISSING, () -> verifier.verifyClientCertHeader(null, List.of(), "10.0.0.5"));
        refused(Reason.MISSING, () -> verifier.verifyClientCertHeader("  ", List.of(), "10.0.0.5"));
        String base64 = device.clientCertHeader().substring(1, device.clientCertHeader().length() - 1);
        refused(Reason.MALFORMED, () -> verifier.verifyClientCertHeader(base64, List.of(), "10.0.0.5"));
        refused(Reason.MALFORMED, () -> verifier.verifyClientCertHeader(":@@@:", List.of(), "10.0.0.5"));
        refused(Reason.MALFORMED, () -> verifier.verifyClientCertHeader(":aGVsbG8=:", List.of(), "10.0.0.5"));
        refused(Reason.MALFORMED, () -> verifier.verifyClientCertHeader(device.clientCertHeader(), List.of(":bm9wZQ==:"), "10.0.0.5"));
    }

    @Test
    void headerIdentitiesAreVerifiedLikeAnyOther() throws Exception {
        KeyPair key = TestPki.ec("secp256r1");
        X509Certificate foreign = TestPki.leaf(TestPki.root("Elsewhere"), key.getPublic(), "foreign");
        TestDevice stranger = TestDevice.withKeyPair(key).useCertificate(foreign, List.of());
        refused(Reason.UNTRUSTED, () -> fixture.verifier("trustedProxies", "10.0.0.5")
                .verifyClientCertHeader(stranger.clientCertHeader(), List.of(), "10.0.0.5"));
    }

    @Test
    void parsesRfc9440ByteSequencesAndLists() throws Exception {
        TestPki.Ca root = TestPki.root("R");
        TestPki.Ca intermediate = TestPki.intermediate(root, "I");
        X509Certificate leaf = TestPki.leaf(intermediate, TestPki.ec("secp256r1").getPublic(), "L");
        TestDevice d = TestDevice.withKeyPair(TestPki.ec("secp256r1")).useCertificate(leaf, List.of(intermediate.certificate(), root.certificate()));
        String chain = d.clientCertChainHeader();
        String[] members = chain.split(", ");
        assertEquals(List.of(leaf, intermediate.certificate(), root.certificate()),
                ClientCertHeader.parse(" " + d.clientCertHeader() + " ", List.of(chain)));
        // a list split over two header lines, with a parameter
        assertEquals(List.of(leaf, intermediate.certificate(), root.certificate()),
                ClientCertHeader.parse(d.clientCertHeader(), List.of(members[0] + ";x=1", members[1])));
    }

    @Test
    void trustedProxyRangesMatchOnlyTheirAddresses() {
        TrustedProxies proxies = TrustedProxies.parse("10.0.0.5, 172.16.0.0/12, fd00::/8, ::1");
        assertTrue(proxies.contains("10.0.0.5"));
        assertFalse(proxies.contains("10.0.0.6"));
        assertTrue(proxies.contains("172.31.255.255"));
        assertFalse(proxies.contains("172.32.0.1"));
        assertTrue(proxies.contains("fd12:3456::1"));
        assertTrue(proxies.contains("[::1]"));
        assertFalse(proxies.contains("fe80::1"));
        assertTrue(proxies.contains("::ffff:10.0.0.5"), "IPv4-mapped IPv6");
        assertFalse(proxies.contains("example.com"));
        assertTrue(TrustedProxies.parse("0.0.0.0/0").contains("198.51.100.1"));
        assertTrue(TrustedProxies.parse(null).isEmpty());
        for (String bad : List.of("proxy.example.com", "10.0.0.256", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129")) {
            assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(bad), bad);
        }
    }
}
