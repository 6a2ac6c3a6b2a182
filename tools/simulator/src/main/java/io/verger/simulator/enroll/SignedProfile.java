package io.verger.simulator.enroll;

import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;

import io.verger.plist.PlistCodec;

/**
 * An enrollment profile as a device receives it from the server: CMS SignedData (DER) around the plist. Reading
 * it checks the signature over the content (always: a profile whose signature does not verify is refused), then
 * whether the signer's chain leads to one of the trust anchors given (a device shows such a profile as "Verified"),
 * and finds the identity (SCEP) and MDM payloads by Apple's key names.
 */
public record SignedProfile(X509Certificate signer, Trust trust, Map<String, Object> plist, ScepPayload scep, MdmPayload mdm) {

    private static final PlistCodec PLIST = PlistCodec.withDefaults();

    /** How far the signer is trusted: a chain to an anchor, not checked (no anchors), or why not. */
    public record Trust(boolean trusted, String description) {
    }

    /** The com.apple.security.scep payload's PayloadContent, with Apple's defaults for absent keys. */
    public record ScepPayload(String payloadUuid, String url, String name, List<?> subject, String challenge, long keysize, String keyType,
            long keyUsage, byte[] caFingerprint) {
    }

    /** The com.apple.mdm payload. {@code checkInUrl} falls back to {@code serverUrl} as on a device. */
    public record MdmPayload(String serverUrl, String checkInUrl, String topic, String identityCertificateUuid, boolean signMessage,
            long accessRights) {
    }

    /** A profile that cannot be used: bad signature, not a plist, a payload missing or inconsistent. */
    public static final class ProfileException extends Exception {
        private static final long serialVersionUID = 1L;

        public ProfileException(String message) {
            super(message);
        }

        public ProfileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param der     the response body of the enrollment URL
     * @param anchors certificates the signer's chain should lead to (Verger signs with its TLS identity, so the
     *                server's TLS CA); empty: trust is not checked
     */
    public static SignedProfile read(byte[] der, List<X509Certificate> anchors) throws ProfileException {
        CMSSignedData signed;
        try {
            signed = new CMSSignedData(der);
        } catch (Exception e) {
            throw new ProfileException("the enrollment profile is not CMS SignedData (" + der.length + " bytes, starts "
                    + excerpt(der) + "): " + e.getMessage(), e);
        }
        if (signed.getSignedContent() == null) {
            throw new ProfileException("the enrollment profile's SignedData carries no content (a detached signature)");
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            throw new ProfileException("the enrollment profile's SignedData has no signer");
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> carried = new ArrayList<>();
        X509Certificate signer = null;
        try {
            for (X509CertificateHolder h : signed.getCertificates().getMatches(null)) {
                carried.add(converter.getCertificate(h));
            }
            SignerInformation info = signers.iterator().next();
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = signed.getCertificates().getMatches(info.getSID());
            if (matches.isEmpty()) {
                throw new ProfileException("the enrollment profile does not carry its signer's certificate (" + info.getSID().getIssuer() + ")");
            }
            signer = converter.getCertificate(matches.iterator().next());
            if (!info.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signer))) {
                throw new ProfileException("the enrollment profile's signature does not verify with its signer " + signer.getSubjectX500Principal());
            }
        } catch (ProfileException e) {
            throw e;
        } catch (Exception e) {
            throw new ProfileException("the enrollment profile's signature does not verify" + (signer == null ? "" : " with "
                    + signer.getSubjectX500Principal()) + ": " + e.getMessage(), e);
        }
        Trust trust = trust(signer, carried, anchors);
        Map<String, Object> plist;
        try {
            plist = PLIST.decodeDictionary((byte[]) signed.getSignedContent().getContent());
        } catch (RuntimeException e) {
            throw new ProfileException("the signed content is not a plist dictionary: " + e.getMessage(), e);
        }
        return parse(signer, trust, plist);
    }

    /** Finds and reads the SCEP and MDM payloads of a profile plist. */
    static SignedProfile parse(X509Certificate signer, Trust trust, Map<String, Object> plist) throws ProfileException {
        if (!"Configuration".equals(plist.get("PayloadType"))) {
            throw new ProfileException("the profile's PayloadType is " + plist.get("PayloadType") + ", expected Configuration");
        }
        if (!(plist.get("PayloadContent") instanceof List<?> payloads)) {
            throw new ProfileException("the profile has no PayloadContent array");
        }
        Map<?, ?> mdm = null;
        List<Map<?, ?>> all = new ArrayList<>();
        for (Object p : payloads) {
            if (p instanceof Map<?, ?> payload) {
                all.add(payload);
                if ("com.apple.mdm".equals(payload.get("PayloadType"))) {
                    mdm = payload;
                }
            }
        }
        if (mdm == null) {
            throw new ProfileException("the profile has no com.apple.mdm payload (payloads: " + types(all) + ")");
        }
        String identityUuid = string(mdm, "IdentityCertificateUUID", true, "com.apple.mdm");
        Map<?, ?> identity = null;
        for (Map<?, ?> p : all) {
            if (identityUuid.equals(p.get("PayloadUUID"))) {
                identity = p;
            }
        }
        if (identity == null) {
            throw new ProfileException("the com.apple.mdm payload's IdentityCertificateUUID " + identityUuid + " names no payload of the profile");
        }
        if (!"com.apple.security.scep".equals(identity.get("PayloadType"))) {
            throw new ProfileException("the device identity (IdentityCertificateUUID " + identityUuid + ") is a " + identity.get("PayloadType")
                    + " payload; --mode scep needs a com.apple.security.scep payload");
        }
        if (!(identity.get("PayloadContent") instanceof Map<?, ?> content)) {
            throw new ProfileException("the com.apple.security.scep payload has no PayloadContent dictionary");
        }
        String where = "com.apple.security.scep PayloadContent";
        ScepPayload scep = new ScepPayload(identityUuid, string(content, "URL", true, where), string(content, "Name", false, where),
                content.get("Subject") instanceof List<?> l ? l : null, string(content, "Challenge", false, where),
                number(content, "Keysize", 1024, where), content.get("Key Type") instanceof String t ? t : "RSA", number(content, "Key Usage", 0, where),
                content.get("CAFingerprint") instanceof byte[] f ? f : null);
        if (!"RSA".equalsIgnoreCase(scep.keyType())) {
            throw new ProfileException(where + ": Key Type " + scep.keyType() + "; Apple devices (and the simulator) make RSA keys only");
        }
        String serverUrl = string(mdm, "ServerURL", true, "com.apple.mdm");
        String checkIn = string(mdm, "CheckInURL", false, "com.apple.mdm");
        MdmPayload m = new MdmPayload(serverUrl, checkIn == null ? serverUrl : checkIn, string(mdm, "Topic", true, "com.apple.mdm"), identityUuid,
                Boolean.TRUE.equals(mdm.get("SignMessage")), number(mdm, "AccessRights", 0, "com.apple.mdm"));
        return new SignedProfile(signer, trust, plist, scep, m);
    }

    /** PKIX path building from the signer through the carried certificates to an anchor; revocation is not checked. */
    static Trust trust(X509Certificate signer, List<X509Certificate> carried, List<X509Certificate> anchors) {
        if (anchors == null || anchors.isEmpty()) {
            return new Trust(false, "not checked (no CA given)");
        }
        try {
            Set<TrustAnchor> trustAnchors = new HashSet<>();
            for (X509Certificate a : anchors) {
                trustAnchors.add(new TrustAnchor(a, null));
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(signer);
            PKIXBuilderParameters params = new PKIXBuilderParameters(trustAnchors, target);
            params.setRevocationEnabled(false);
            List<X509Certificate> pool = new ArrayList<>(carried);
            pool.add(signer);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            var result = (java.security.cert.PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            return new Trust(true, "chain trusted (anchor " + result.getTrustAnchor().getTrustedCert().getSubjectX500Principal() + ")");
        } catch (Exception e) {
            return new Trust(false, "NOT trusted by the CA given: " + e.getMessage());
        }
    }

    private static String string(Map<?, ?> m, String key, boolean required, String where) throws ProfileException {
        Object v = m.get(key);
        if (v == null) {
            if (required) {
                throw new ProfileException(where + " has no " + key);
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new ProfileException(where + ": " + key + " is a " + v.getClass().getSimpleName() + ", expected a string");
        }
        return s;
    }

    private static long number(Map<?, ?> m, String key, long absent, String where) throws ProfileException {
        Object v = m.get(key);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof Number n)) {
            throw new ProfileException(where + ": " + key + " is a " + v.getClass().getSimpleName() + ", expected an integer");
        }
        return n.longValue();
    }

    private static List<Object> types(List<Map<?, ?>> payloads) {
        List<Object> t = new ArrayList<>();
        payloads.forEach(p -> t.add(p.get("PayloadType")));
        return t;
    }

    private static String excerpt(byte[] b) {
        return '"' + new String(b, 0, Math.min(b.length, 40), java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".") + '"';
    }
}
