package io.verger.identity.internal;

import java.net.URI;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The enrollment profile as plist values: an optional root payload (the self-issued TLS CA), the
 * device identity (a SCEP payload, or a PKCS#12 payload) and the MDM payload that points at it.
 * Payload identifiers are stable per server (reinstalling replaces the profile); payload UUIDs are fresh.
 */
final class EnrollmentProfile {

    /** Every MDM access right (1 through 4096), as Apple's com.apple.mdm AccessRights allows. */
    static final long ACCESS_RIGHTS = 8191;
    static final List<String> SERVER_CAPABILITIES = List.of("com.apple.mdm.per-user-connections", "com.apple.mdm.bootstraptoken");
    /** Key Usage 5: digital signature (1) and key encipherment (4). */
    static final long SCEP_KEY_USAGE = 5;
    static final long SCEP_KEY_SIZE = 2048;

    private EnrollmentProfile() {
    }

    /** How the device gets its identity. */
    sealed interface Identity permits Scep, Pkcs12 {
    }

    /** A SCEP payload: the device makes its key and asks {@code url} for a certificate with {@code challenge}. */
    record Scep(String url, String challenge, List<List<List<String>>> subject) implements Identity {
    }

    /** A PKCS#12 payload made by the server. */
    record Pkcs12(byte[] pkcs12, String password) implements Identity {
    }

    /**
     * @param publicUrl    the server's public base URL, without a trailing slash
     * @param topic        the push topic
     * @param organization PayloadOrganization
     * @param displayName  PayloadDisplayName of the profile
     * @param tlsCa        the TLS CA to install as trusted root, or null
     */
    record Settings(String publicUrl, String topic, String organization, String displayName, String productName,
                    X509Certificate tlsCa, Identity identity) {
        Settings {
            Objects.requireNonNull(publicUrl, "publicUrl");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * The SCEP subject: O = the organization, CN = the product's device identity name with a random identifier of this
     * profile. (A {@code %SerialNumber%} variable is not expanded by a device installing a profile from a web page,
     * so every identity would have had the same literal subject; the device is known by its UDID in the check-ins.)
     */
    static List<List<List<String>>> subject(String organization, String productName) {
        String unique = java.util.UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
        return List.of(List.of(List.of("O", organization)), List.of(List.of("CN", productName + " device identity " + unique)));
    }

    static Map<String, Object> build(Settings s) throws CertificateEncodingException {
        String base = identifierBase(s.publicUrl());
        List<Object> payloads = new ArrayList<>();
        if (s.tlsCa() != null) {
            Map<String, Object> root = payload("com.apple.security.root", base + ".tls-ca", s.productName() + " server CA", s.organization());
            root.put("PayloadCertificateFileName", "server-ca.cer");
            root.put("PayloadContent", s.tlsCa().getEncoded());
            payloads.add(root);
        }
        Map<String, Object> identity;
        if (s.identity() instanceof Scep scep) {
            identity = payload("com.apple.security.scep", base + ".scep", s.productName() + " device identity (SCEP)", s.organization());
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("URL", scep.url());
            content.put("Name", s.productName());
            content.put("Subject", scep.subject());
            content.put("Challenge", scep.challenge());
            content.put("Key Type", "RSA");
            content.put("Keysize", SCEP_KEY_SIZE);
            content.put("Key Usage", SCEP_KEY_USAGE);
            identity.put("PayloadContent", content);
        } else {
            Pkcs12 pkcs12 = (Pkcs12) s.identity();
            identity = payload("com.apple.security.pkcs12", base + ".identity", s.productName() + " device identity", s.organization());
            identity.put("PayloadCertificateFileName", "device-identity.p12");
            identity.put("PayloadContent", pkcs12.pkcs12());
            identity.put("Password", pkcs12.password());
        }
        payloads.add(identity);
        Map<String, Object> mdm = payload("com.apple.mdm", base + ".mdm", s.productName() + " device management", s.organization());
        mdm.put("IdentityCertificateUUID", identity.get("PayloadUUID"));
        mdm.put("Topic", s.topic());
        mdm.put("ServerURL", s.publicUrl() + "/mdm");
        mdm.put("CheckInURL", s.publicUrl() + "/checkin");
        mdm.put("SignMessage", Boolean.TRUE);
        mdm.put("AccessRights", ACCESS_RIGHTS);
        mdm.put("CheckOutWhenRemoved", Boolean.TRUE);
        mdm.put("ServerCapabilities", SERVER_CAPABILITIES);
        payloads.add(mdm);

        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("PayloadContent", Collections.unmodifiableList(payloads));
        profile.put("PayloadDisplayName", s.displayName());
        profile.put("PayloadDescription", "Enrolls this device in " + s.productName() + " device management at " + s.publicUrl() + ".");
        profile.put("PayloadIdentifier", base + ".enrollment");
        profile.put("PayloadOrganization", s.organization());
        profile.put("PayloadType", "Configuration");
        profile.put("PayloadUUID", uuid());
        profile.put("PayloadVersion", 1L);
        return profile;
    }

    private static Map<String, Object> payload(String type, String identifier, String displayName, String organization) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("PayloadType", type);
        payload.put("PayloadVersion", 1L);
        payload.put("PayloadIdentifier", identifier);
        payload.put("PayloadUUID", uuid());
        payload.put("PayloadDisplayName", displayName);
        payload.put("PayloadOrganization", organization);
        return payload;
    }

    private static String uuid() {
        return UUID.randomUUID().toString().toUpperCase();
    }

    /** {@code https://mdm.example.com:8443} → {@code com.example.mdm}; an IP address or a bare name is kept as one label. */
    static String identifierBase(String publicUrl) {
        String host = URI.create(publicUrl).getHost();
        if (host == null || host.isBlank()) {
            return "io.verger.server";
        }
        host = host.toLowerCase();
        if (host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return "io.verger." + host.replaceAll("[^0-9a-z]", "-");
        }
        String[] labels = host.split("\\.");
        List<String> reversed = new ArrayList<>(List.of(labels));
        Collections.reverse(reversed);
        String base = String.join(".", reversed).replaceAll("[^0-9a-z.-]", "-");
        return labels.length == 1 ? "io.verger." + base : base;
    }

}
