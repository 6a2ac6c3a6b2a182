package io.verger.identity.internal;

import io.verger.api.signing.ProfileSigner;
import io.verger.api.storage.PushCertStore;
import io.verger.api.storage.PushCertificate;
import io.verger.plist.PlistCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /enroll} without the servlet: checks, token, profile, signature. */
final class EnrollmentProfileService {

    static final String CONTENT_TYPE = "application/x-apple-aspen-config";
    static final String TLS_SELF_ISSUED_PROPERTY = "verger.tls.selfissued";
    static final String TLS_CA_PROPERTY = "verger.tls.ca";

    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentProfileService.class);
    private static final PlistCodec PLIST = PlistCodec.withDefaults();

    private final Provider provider = BouncyCastle.PROVIDER;
    private final SecureRandom random = new SecureRandom();
    private final Supplier<EnrollmentSecrets> secrets;
    private final Supplier<ScepAuthority> authority;
    private final Supplier<PushCertStore> pushCerts;
    private final Supplier<ProfileSigner> signer;

    EnrollmentProfileService(Supplier<EnrollmentSecrets> secrets, Supplier<ScepAuthority> authority, Supplier<PushCertStore> pushCerts,
                             Supplier<ProfileSigner> signer) {
        this.secrets = secrets;
        this.authority = authority;
        this.pushCerts = pushCerts;
        this.signer = signer;
    }

    /**
     * @param token      the {@code token} parameter, or null
     * @param requestUrl the server's URL as the request saw it, used when {@code verger.public.url} is not set
     */
    ScepService.Response enroll(String token, String requestUrl) {
        EnrollmentSecrets enrollment = secrets.get();
        PushCertStore store = pushCerts.get();
        ProfileSigner profileSigner = signer.get();
        ScepAuthority ca = authority.get();
        if (enrollment == null || store == null) {
            return ScepService.Response.text(503, "enrollment is not available: the storage module is not running");
        }
        String topic = topic(store);
        if (topic == null) {
            return ScepService.Response.text(503, "devices cannot enroll yet: no MDM push certificate has been uploaded. An administrator "
                    + "must upload one first (PUT /v1/pushcert with the certificate and key as PEM; see the README, 'Enroll a device').");
        }
        if (profileSigner == null || ca == null) {
            return ScepService.Response.text(503, "enrollment is not available: " + (profileSigner == null
                    ? "no ProfileSigner service (the signing module is not running)" : "the device CA is not running"));
        }
        if (!enrollment.acceptToken(token)) {
            LOG.warn("enrollment profile refused: the token is {}", token == null || token.isBlank() ? "missing" : "unknown, used or expired");
            return ScepService.Response.text(403, "this enrollment link is not valid: its token is missing, already used or expired; "
                    + "ask your administrator for a new one");
        }
        try {
            EnrollmentConfiguration config = enrollment.config();
            String product = enrollment.productName();
            String organization = enrollment.organizationName();
            String displayName = config.profileDisplayName().isBlank() ? product + " enrollment" : config.profileDisplayName();
            String publicUrl = publicUrl(enrollment, requestUrl);
            EnrollmentProfile.Identity identity;
            if (config.pkcs12Identity()) {
                identity = Pkcs12Identity.issue(ca, "O=" + rdn(organization) + ",CN=" + rdn(product + " device identity"), provider, random);
            } else {
                identity = new EnrollmentProfile.Scep(publicUrl + "/scep", enrollment.newChallenge().secret(),
                        EnrollmentProfile.subject(organization, product));
            }
            Map<String, Object> profile = EnrollmentProfile.build(new EnrollmentProfile.Settings(publicUrl, topic, organization,
                    displayName, product, tlsCa(enrollment), identity));
            byte[] signed = profileSigner.sign(PLIST.encodeXml(profile));
            LOG.info("enrollment profile served (topic {}, {})", topic, config.pkcs12Identity() ? "PKCS#12 identity" : "SCEP");
            return new ScepService.Response(200, CONTENT_TYPE, signed);
        } catch (Exception e) {
            LOG.error("cannot build the enrollment profile", e);
            return ScepService.Response.text(500, "cannot build the enrollment profile: " + e.getMessage());
        }
    }

    /** How long the push topic of the profiles is reused before the push certificates are listed again. */
    static final long TOPIC_TTL_NANOS = 5_000_000_000L;

    private record Topic(String topic, long readAt) {
    }

    private volatile Topic cachedTopic;

    /**
     * @return the topic of the newest push certificate, or null when none is stored. Listing the push certificates
     *         decrypts each private key and parses each chain, about a quarter of serving a profile, so the topic is
     *         reused for a few seconds; "none yet" is never reused, so the first upload is seen at once
     */
    private String topic(PushCertStore store) {
        Topic cached = cachedTopic;
        if (cached != null && System.nanoTime() - cached.readAt() < TOPIC_TTL_NANOS) {
            return cached.topic();
        }
        long readAt = System.nanoTime();
        List<PushCertificate> certificates = store.list();
        if (certificates.isEmpty()) {
            cachedTopic = null;
            return null;
        }
        String newest = certificates.stream().max(Comparator.comparing(c -> c.certificate().getNotBefore())).orElseThrow().topic();
        cachedTopic = new Topic(newest, readAt);
        return newest;
    }

    static String publicUrl(EnrollmentSecrets enrollment, String requestUrl) {
        String configured = enrollment.frameworkProperty(EnrollmentSecrets.PUBLIC_URL_PROPERTY);
        String url = configured == null || configured.isBlank() ? requestUrl : configured;
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }

    /** The TLS CA file last read, with the size and modification time it had then. */
    private record ReadCa(Path path, long size, long modified, X509Certificate certificate) {
    }

    private volatile ReadCa readCa;

    /**
     * The self-issued TLS CA that devices must trust to reach the server, or null when the TLS certificate is a public one.
     * The file is read again only when its size or modification time changed (a renewed CA is picked up at once).
     */
    private X509Certificate tlsCa(EnrollmentSecrets enrollment) throws java.io.IOException {
        if (!"true".equalsIgnoreCase(enrollment.frameworkProperty(TLS_SELF_ISSUED_PROPERTY))) {
            return null;
        }
        String path = enrollment.frameworkProperty(TLS_CA_PROPERTY);
        if (path == null || path.isBlank()) {
            LOG.warn("the TLS certificate is self-issued but {} names no CA file: the profile carries no root, devices may not trust the server",
                    TLS_CA_PROPERTY);
            return null;
        }
        Path file = Path.of(path);
        java.nio.file.attribute.BasicFileAttributes attributes = java.nio.file.Files.readAttributes(file,
                java.nio.file.attribute.BasicFileAttributes.class);
        long modified = attributes.lastModifiedTime().toMillis();
        ReadCa cached = readCa;
        if (cached != null && cached.path().equals(file) && cached.size() == attributes.size() && cached.modified() == modified) {
            return cached.certificate();
        }
        List<X509Certificate> certificates = Pem.readCertificates(file);
        X509Certificate ca = certificates.isEmpty() ? null : certificates.get(certificates.size() - 1);
        readCa = new ReadCa(file, attributes.size(), modified, ca);
        return ca;
    }

    private static String rdn(String value) {
        return value.replaceAll("([,+=\"\\\\<>;#])", "\\\\$1");
    }
}
