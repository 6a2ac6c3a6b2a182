package io.verger.identity.internal;

import io.verger.api.signing.ProfileSigner;
import io.verger.api.storage.PushCertStore;
import io.verger.api.storage.PushCertificate;
import io.verger.plist.PlistCodec;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /enroll}: who gets a profile, and that it holds what Apple's schema asks for. */
class EnrollmentProfileTest {

    private static final PlistCodec PLIST = PlistCodec.withDefaults();
    private static final String TOPIC = "com.apple.mgmt.External.0c0ffee0-1111-2222-3333-444455556666";

    @TempDir
    Path data;
    private ScepFixture fixture;
    private final List<PushCertificate> pushCerts = new ArrayList<>();
    private KeyPair signerKeys;
    private X509Certificate signerCertificate;
    private X509Certificate tlsCa;
    private final ProfileSigner signer = new ProfileSigner() {
        @Override
        public byte[] sign(byte[] profile) {
            try {
                CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
                generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                        .build(new JcaContentSignerBuilder("SHA256withRSA").build(signerKeys.getPrivate()), signerCertificate));
                generator.addCertificates(new JcaCertStore(List.of(signerCertificate)));
                return generator.generate(new CMSProcessableByteArray(profile), true).getEncoded();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public List<X509Certificate> signerCertificateChain() {
            return List.of(signerCertificate);
        }
    };

    @BeforeEach
    void start() throws Exception {
        fixture = new ScepFixture(data, "organizationName", "Example Corp", "_staticEnrollmentSecret", "site-wide-secret");
        signerKeys = ScepFixture.rsa();
        signerCertificate = ScepFixture.selfSigned(signerKeys, "CN=localhost");
        KeyPair tlsKeys = ScepFixture.rsa();
        tlsCa = ScepFixture.selfSigned(tlsKeys, "CN=Test TLS CA");
        Files.writeString(data.resolve("tls-ca.pem"), Pem.encode(tlsCa));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private EnrollmentProfileService service(Map<String, String> properties, Object... config) {
        EnrollmentSecrets secrets = fixture.secrets;
        if (config.length > 0 || !properties.isEmpty()) {
            secrets = new EnrollmentSecrets(fixture.store, java.time.Clock.systemUTC());
            Object[] all = new Object[config.length + 2];
            all[0] = "organizationName";
            all[1] = "Example Corp";
            System.arraycopy(config, 0, all, 2, config.length);
            secrets.start(TestConfig.enrollment(all), properties::get);
        }
        EnrollmentSecrets chosen = secrets;
        return new EnrollmentProfileService(() -> chosen, () -> fixture.ca, () -> new FixedPushCerts(pushCerts), () -> signer);
    }

    private void uploadPushCertificate() throws Exception {
        KeyPair keys = ScepFixture.rsa();
        pushCerts.add(new PushCertificate(TOPIC, List.of(ScepFixture.selfSigned(keys, "UID=" + TOPIC + ",CN=APSP")), keys.getPrivate()));
    }

    @Test
    void withoutAPushCertificateEnrollAnswers503AndKeepsTheToken() throws Exception {
        String token = fixture.secrets.newToken().secret();
        ScepService.Response answer = service(Map.of()).enroll(token, "https://mdm.example.com");
        assertEquals(503, answer.status());
        assertTrue(new String(answer.body(), StandardCharsets.UTF_8).contains("push certificate"));
        uploadPushCertificate();
        assertEquals(200, service(Map.of()).enroll(token, "https://mdm.example.com").status(), "the token was not used up");
    }

    @Test
    void aMissingUnknownOrUsedTokenGets403() throws Exception {
        uploadPushCertificate();
        EnrollmentProfileService service = service(Map.of());
        assertEquals(403, service.enroll(null, "https://x").status());
        assertEquals(403, service.enroll("made-up", "https://x").status());
        String token = fixture.secrets.newToken().secret();
        assertEquals(200, service.enroll(token, "https://x").status());
        assertEquals(403, service.enroll(token, "https://x").status(), "one-time");
        assertEquals(200, service.enroll("site-wide-secret", "https://x").status(), "the static secret");
        assertEquals(200, service.enroll("site-wide-secret", "https://x").status());
    }

    @Test
    void theProfileHoldsTheTlsRootTheScepIdentityAndTheMdmPayload() throws Exception {
        uploadPushCertificate();
        EnrollmentProfileService service = service(Map.of("verger.public.url", "https://mdm.example.com:8443/",
                "verger.tls.selfissued", "true", "verger.tls.ca", data.resolve("tls-ca.pem").toString(), "verger.product.name", "Acme MDM"),
                "profileDisplayName", "Acme device enrollment");
        ScepService.Response answer = service.enroll(fixture.secrets.newToken().secret(), "https://ignored");
        assertEquals(200, answer.status());
        assertEquals("application/x-apple-aspen-config", answer.contentType());
        CMSSignedData signed = new CMSSignedData(answer.body());
        Map<String, Object> profile = PLIST.decodeDictionary((byte[]) signed.getSignedContent().getContent());

        assertEquals("Configuration", profile.get("PayloadType"));
        assertEquals("Acme device enrollment", profile.get("PayloadDisplayName"));
        assertEquals("Example Corp", profile.get("PayloadOrganization"));
        assertEquals("com.example.mdm.enrollment", profile.get("PayloadIdentifier"));
        assertEquals(1L, profile.get("PayloadVersion"));
        List<?> payloads = (List<?>) profile.get("PayloadContent");
        assertEquals(3, payloads.size());
        Map<?, ?> root = (Map<?, ?>) payloads.get(0);
        Map<?, ?> scep = (Map<?, ?>) payloads.get(1);
        Map<?, ?> mdm = (Map<?, ?>) payloads.get(2);

        assertEquals("com.apple.security.root", root.get("PayloadType"));
        assertEquals(tlsCa, Pem.toX509((byte[]) root.get("PayloadContent")));

        assertEquals("com.apple.security.scep", scep.get("PayloadType"));
        Map<?, ?> scepContent = (Map<?, ?>) scep.get("PayloadContent");
        assertEquals("https://mdm.example.com:8443/scep", scepContent.get("URL"));
        assertEquals("RSA", scepContent.get("Key Type"));
        assertEquals(2048L, scepContent.get("Keysize"));
        assertEquals(5L, scepContent.get("Key Usage"));
        assertTrue(fixture.secrets.acceptChallenge((String) scepContent.get("Challenge")), "a live one-time challenge");
        List<?> subject = (List<?>) scepContent.get("Subject");
        assertEquals(List.of(List.of("O", "Example Corp")), subject.get(0));
        String cn = (String) ((List<?>) ((List<?>) subject.get(1)).get(0)).get(1);
        assertTrue(cn.matches("Acme MDM device identity [0-9A-F-]{36}"), cn);
        assertEquals("CN", ((List<?>) ((List<?>) subject.get(1)).get(0)).get(0));

        assertEquals("com.apple.mdm", mdm.get("PayloadType"));
        assertEquals(scep.get("PayloadUUID"), mdm.get("IdentityCertificateUUID"));
        assertEquals(TOPIC, mdm.get("Topic"));
        assertEquals("https://mdm.example.com:8443/mdm", mdm.get("ServerURL"));
        assertEquals("https://mdm.example.com:8443/checkin", mdm.get("CheckInURL"));
        assertEquals(8191L, mdm.get("AccessRights"));
        assertEquals(Boolean.TRUE, mdm.get("SignMessage"));
        assertEquals(Boolean.TRUE, mdm.get("CheckOutWhenRemoved"));
        assertEquals(List.of("com.apple.mdm.per-user-connections", "com.apple.mdm.bootstraptoken"), mdm.get("ServerCapabilities"));

        // every key is one Apple's schema defines for that payload type (../shared/apple-device-management)
        for (Map<?, ?> payload : List.of(root, scep, mdm)) {
            Set<String> known = AppleSchema.keys((String) payload.get("PayloadType"));
            for (Object key : payload.keySet()) {
                assertTrue(known.contains(key) || ((String) key).startsWith("Payload"), payload.get("PayloadType") + " has no key " + key);
            }
        }
        for (Object key : scepContent.keySet()) {
            assertTrue(AppleSchema.keys("com.apple.security.scep").contains(key), "SCEP PayloadContent has no key " + key);
        }

        ScepService.Response second = service.enroll(fixture.secrets.newToken().secret(), "https://ignored");
        Map<String, Object> again = PLIST.decodeDictionary((byte[]) new CMSSignedData(second.body()).getSignedContent().getContent());
        assertEquals(profile.get("PayloadIdentifier"), again.get("PayloadIdentifier"), "stable identifiers");
        assertTrue(!profile.get("PayloadUUID").equals(again.get("PayloadUUID")), "fresh UUIDs");
    }

    @Test
    void aReplacedTlsCaFileIsServedFromTheNextProfileOn() throws Exception {
        uploadPushCertificate();
        EnrollmentProfileService service = service(Map.of("verger.tls.selfissued", "true", "verger.tls.ca", data.resolve("tls-ca.pem").toString()));
        assertEquals(tlsCa, rootOf(service.enroll(fixture.secrets.newToken().secret(), "https://x")));
        assertEquals(tlsCa, rootOf(service.enroll(fixture.secrets.newToken().secret(), "https://x")), "the file is read once, then reused");

        X509Certificate renewed = ScepFixture.selfSigned(ScepFixture.rsa(), "CN=Renewed TLS CA");
        Files.writeString(data.resolve("tls-ca.pem"), Pem.encode(renewed));
        // a new size is noticed even where the file system's modification times are coarse
        Files.setLastModifiedTime(data.resolve("tls-ca.pem"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertEquals(renewed, rootOf(service.enroll(fixture.secrets.newToken().secret(), "https://x")));
    }

    private static X509Certificate rootOf(ScepService.Response answer) throws Exception {
        assertEquals(200, answer.status());
        Map<String, Object> profile = PLIST.decodeDictionary((byte[]) new CMSSignedData(answer.body()).getSignedContent().getContent());
        Map<?, ?> root = (Map<?, ?>) ((List<?>) profile.get("PayloadContent")).get(0);
        assertEquals("com.apple.security.root", root.get("PayloadType"));
        return Pem.toX509((byte[]) root.get("PayloadContent"));
    }

    @Test
    void aPublicTlsCertificateNeedsNoRootPayload() throws Exception {
        uploadPushCertificate();
        ScepService.Response answer = service(Map.of("verger.tls.selfissued", "false", "verger.tls.ca", data.resolve("tls-ca.pem").toString()))
                .enroll(fixture.secrets.newToken().secret(), "https://mdm.example.com");
        Map<String, Object> profile = PLIST.decodeDictionary((byte[]) new CMSSignedData(answer.body()).getSignedContent().getContent());
        List<?> payloads = (List<?>) profile.get("PayloadContent");
        assertEquals(List.of("com.apple.security.scep", "com.apple.mdm"), payloads.stream().map(p -> ((Map<?, ?>) p).get("PayloadType")).toList());
    }

    @Test
    void thePkcs12OptionServesAnIdentityIssuedByTheDeviceCa() throws Exception {
        uploadPushCertificate();
        ScepService.Response answer = service(Map.of("verger.public.url", "https://mdm.example.com"), "pkcs12Identity", true)
                .enroll(fixture.secrets.newToken().secret(), "https://x");
        assertEquals(200, answer.status());
        Map<String, Object> profile = PLIST.decodeDictionary((byte[]) new CMSSignedData(answer.body()).getSignedContent().getContent());
        List<?> payloads = (List<?>) profile.get("PayloadContent");
        Map<?, ?> identity = (Map<?, ?>) payloads.get(0);
        Map<?, ?> mdm = (Map<?, ?>) payloads.get(1);
        assertEquals("com.apple.security.pkcs12", identity.get("PayloadType"));
        assertEquals(identity.get("PayloadUUID"), mdm.get("IdentityCertificateUUID"));
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        char[] password = ((String) identity.get("Password")).toCharArray();
        keystore.load(new ByteArrayInputStream((byte[]) identity.get("PayloadContent")), password);
        String alias = keystore.aliases().nextElement();
        assertNotNull(keystore.getKey(alias, password));
        ((X509Certificate) keystore.getCertificate(alias)).verify(fixture.caCertificate().getPublicKey());
    }

    @Test
    void identifierBaseIsTheReversedHostName() {
        assertEquals("com.example.mdm", EnrollmentProfile.identifierBase("https://mdm.example.com:8443"));
        assertEquals("io.verger.localhost", EnrollmentProfile.identifierBase("https://localhost:8443"));
        assertEquals("io.verger.10-0-0-1", EnrollmentProfile.identifierBase("https://10.0.0.1"));
    }

    /** The keys Apple's profile schema lists for a payload type (top-level "- key:" entries of its YAML). */
    static final class AppleSchema {
        static Set<String> keys(String payloadType) throws Exception {
            Path yaml = Path.of(System.getProperty("apple.schema", "../../../shared/apple-device-management/mdm/profiles"))
                    .resolve(payloadType + ".yaml");
            if (!Files.exists(yaml)) {
                yaml = Path.of("/work/shared/apple-device-management/mdm/profiles").resolve(payloadType + ".yaml");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(yaml), "Apple's schema is not checked out next to the repository");
            Set<String> keys = new java.util.HashSet<>();
            for (String line : Files.readAllLines(yaml)) {
                String trimmed = line.strip();
                if (trimmed.startsWith("- key: ")) {
                    keys.add(trimmed.substring("- key: ".length()).strip());
                }
            }
            return keys;
        }
    }

    private record FixedPushCerts(List<PushCertificate> certificates) implements PushCertStore {
        @Override
        public void store(PushCertificate certificate) {
            certificates.add(certificate);
        }

        @Override
        public Optional<PushCertificate> find(String topic) {
            return certificates.stream().filter(c -> c.topic().equals(topic)).findFirst();
        }

        @Override
        public boolean isCurrent(String topic, io.verger.api.identity.CertificateFingerprint version) {
            return true;
        }

        @Override
        public List<PushCertificate> list() {
            return List.copyOf(certificates);
        }

        @Override
        public boolean delete(String topic) {
            return certificates.removeIf(c -> c.topic().equals(topic));
        }
    }
}
