package io.verger.storage.tck;

import io.verger.api.storage.PushCertStore;
import io.verger.api.storage.PushCertificate;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour {@link PushCertStore}'s Javadoc specifies, with three self-signed test
 * certificates (two RSA, one EC) shipped with this suite.
 */
public abstract class PushCertStoreConformance extends StoreConformance {

    private PushCertStore store() {
        return stores.pushCerts();
    }

    /** @return a push certificate of the test key store ({@code push1}..{@code push3}) under {@code topic} */
    protected static PushCertificate testCertificate(String topic, String alias) {
        try (InputStream in = PushCertStoreConformance.class.getResourceAsStream("push-certs.p12")) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, "changeit".toCharArray());
            PrivateKey key = (PrivateKey) ks.getKey(alias, "changeit".toCharArray());
            List<X509Certificate> chain = Arrays.stream(ks.getCertificateChain(alias)).map(c -> (X509Certificate) c).toList();
            return new PushCertificate(topic, chain, key);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read test push certificate " + alias, e);
        }
    }

    private static void assertSameCertificate(PushCertificate expected, PushCertificate actual) {
        assertEquals(expected.topic(), actual.topic());
        assertEquals(expected.chain(), actual.chain());
        assertEquals(expected.version(), actual.version());
        assertEquals(expected.privateKey().getAlgorithm(), actual.privateKey().getAlgorithm());
        assertArrayEquals(expected.privateKey().getEncoded(), actual.privateKey().getEncoded());
    }

    @Test
    void certificateWithKeyRoundTrips() {
        String topic = "com.apple.mgmt.External." + newUuid();
        PushCertificate rsa = testCertificate(topic, "push1");
        store().store(rsa);
        assertSameCertificate(rsa, store().find(topic).orElseThrow());
        String ecTopic = "com.apple.mgmt.External." + newUuid();
        PushCertificate ec = testCertificate(ecTopic, "push3");
        store().store(ec);
        assertSameCertificate(ec, store().find(ecTopic).orElseThrow());
    }

    @Test
    void unknownTopicHasNoCertificate() {
        assertTrue(store().find("com.apple.mgmt.External.none").isEmpty());
        assertFalse(store().isCurrent("com.apple.mgmt.External.none", testCertificate("t", "push1").version()));
        assertTrue(store().list().isEmpty());
    }

    @Test
    void storeReplacesTheTopicsCertificateAndIsCurrentTellsWhichIsCurrent() {
        String topic = "com.apple.mgmt.External." + newUuid();
        PushCertificate first = testCertificate(topic, "push1");
        PushCertificate renewed = testCertificate(topic, "push2");
        store().store(first);
        assertTrue(store().isCurrent(topic, first.version()));
        assertFalse(store().isCurrent(topic, renewed.version()));
        store().store(renewed);
        assertFalse(store().isCurrent(topic, first.version()));
        assertTrue(store().isCurrent(topic, renewed.version()));
        assertSameCertificate(renewed, store().find(topic).orElseThrow());
        assertEquals(1, store().list().size());
    }

    @Test
    void listIsInTopicOrder() {
        store().store(testCertificate("com.apple.mgmt.b", "push1"));
        store().store(testCertificate("com.apple.mgmt.c", "push3"));
        store().store(testCertificate("com.apple.mgmt.a", "push2"));
        assertEquals(List.of("com.apple.mgmt.a", "com.apple.mgmt.b", "com.apple.mgmt.c"),
                store().list().stream().map(PushCertificate::topic).toList());
    }

    @Test
    void deleteRemovesTheTopicsCertificate() {
        String topic = "com.apple.mgmt.External." + newUuid();
        PushCertificate cert = testCertificate(topic, "push1");
        assertFalse(store().delete(topic));
        store().store(cert);
        assertTrue(store().delete(topic));
        assertTrue(store().find(topic).isEmpty());
        assertFalse(store().isCurrent(topic, cert.version()), "a deleted certificate is not current");
        assertFalse(store().delete(topic));
    }

    @Test
    void nullArgumentsThrowNullPointerException() {
        assertThrows(NullPointerException.class, () -> store().store(null));
        assertThrows(NullPointerException.class, () -> store().find(null));
        assertThrows(NullPointerException.class, () -> store().isCurrent("t", null));
    }
}
