package io.verger.identity.internal;

import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.IdentityVerificationException.Reason;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.util.Selector;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The {@code Mdm-Signature} header: a detached CMS SignedData over the request body, signed by the
 * device's identity, which the CMS carries (with any intermediates). Checks the signature only;
 * the certificate chain is the {@link IdentityChainValidator}'s.
 */
final class MdmSignature {

    /** Longer than any real signature (a few kB), short enough that parsing hostile input stays cheap. */
    static final int MAX_SIGNATURE_BYTES = 64 * 1024;
    private static final int MAX_CERTIFICATES = 10;
    private static final Map<ASN1ObjectIdentifier, String> ACCEPTED_DIGESTS = Map.of(
            OIWObjectIdentifiers.idSHA1, "SHA-1",
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            NISTObjectIdentifiers.id_sha384, "SHA-384",
            NISTObjectIdentifiers.id_sha512, "SHA-512");

    private MdmSignature() {
    }

    /**
     * @param signature the DER CMS ContentInfo (the header value, base64-decoded)
     * @param body      the exact request body
     * @return the signer's certificate first, then the other certificates the CMS carries
     * @throws IdentityVerificationException MALFORMED if it cannot be parsed or names no single
     *                                       signer with its certificate, BAD_SIGNATURE if it does not verify over {@code body}
     */
    static List<X509Certificate> verify(byte[] signature, byte[] body) throws IdentityVerificationException {
        try {
            return verifyParsed(signature, body);
        } catch (RuntimeException e) {
            // BouncyCastle parses parts of the structure lazily: whatever hostile input breaks, it is malformed
            throw new IdentityVerificationException(Reason.MALFORMED, "the Mdm-Signature is not a well-formed CMS SignedData: " + e, e);
        }
    }

    /**
     * Decoded certificates by their DER bytes: a device sends the same identity with every request, and decoding it
     * again each time was a measurable share of the request. Bounded; a decoded certificate is immutable.
     */
    private static final java.util.concurrent.ConcurrentHashMap<Der, X509Certificate> DECODED =
            new java.util.concurrent.ConcurrentHashMap<>();
    static final int DECODED_LIMIT = 50_000;

    private static X509Certificate decoded(byte[] der) throws java.security.cert.CertificateException {
        Der key = new Der(der);
        X509Certificate cert = DECODED.get(key);
        if (cert == null) {
            cert = Pem.toX509(der);
            if (DECODED.size() >= DECODED_LIMIT) {
                DECODED.clear();
            }
            DECODED.put(key, cert);
        }
        return cert;
    }

    /**
     * DER bytes as a map key. Its hash reads eight bytes a step, seeded per process so that certificates made to
     * collide cannot be prepared in advance: {@code ByteBuffer.hashCode}, one bounds-checked byte at a time over a
     * ~1 kB certificate, was 5 % of a device request.
     */
    static final class Der {
        private static final long SEED = new java.security.SecureRandom().nextLong();
        private static final java.lang.invoke.VarHandle LONGS =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

        private final byte[] bytes;
        private final int hash;

        Der(byte[] bytes) {
            this.bytes = bytes;
            this.hash = hash(bytes);
        }

        static int hash(byte[] b) {
            long h = SEED ^ b.length;
            int i = 0;
            for (; i + Long.BYTES <= b.length; i += Long.BYTES) {
                h = (h ^ (long) LONGS.get(b, i)) * MULTIPLIER;
                h ^= h >>> 31;
            }
            for (; i < b.length; i++) {
                h = (h ^ b[i]) * MULTIPLIER;
            }
            h ^= h >>> 32;
            return (int) h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Der other && other.hash == hash && java.util.Arrays.equals(other.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static X509Certificate decodedOrThrow(byte[] der) {
        try {
            return decoded(der);
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("not a certificate: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> verifyParsed(byte[] signature, byte[] body) throws IdentityVerificationException {
        if (signature.length == 0) {
            throw new IdentityVerificationException(Reason.MALFORMED, "the Mdm-Signature is empty");
        }
        if (signature.length > MAX_SIGNATURE_BYTES) {
            throw new IdentityVerificationException(Reason.MALFORMED, "the Mdm-Signature is " + signature.length
                    + " bytes long; at most " + MAX_SIGNATURE_BYTES + " are accepted");
        }
        List<X509Certificate> fast = FastMdmSignature.verify(signature, body, MdmSignature::decodedOrThrow);
        if (fast != null) {
            return fast;
        }
        CMSSignedData signedData;
        try {
            ContentInfo contentInfo = ContentInfo.getInstance(ASN1Primitive.fromByteArray(signature));
            if (contentInfo == null || !CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
                throw new IdentityVerificationException(Reason.MALFORMED, "the Mdm-Signature is not a CMS SignedData (content type "
                        + (contentInfo == null ? "missing" : contentInfo.getContentType().getId()) + ")");
            }
            if (SignedData.getInstance(contentInfo.getContent()).getEncapContentInfo().getContent() != null) {
                throw new IdentityVerificationException(Reason.MALFORMED,
                        "the Mdm-Signature encapsulates its content; a detached signature over the request body is expected");
            }
            signedData = new CMSSignedData(new CMSProcessableByteArray(body), contentInfo);
        } catch (IdentityVerificationException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new IdentityVerificationException(Reason.MALFORMED, "the Mdm-Signature is not a DER-encoded CMS SignedData: " + e, e);
        }

        Collection<SignerInformation> signers = signedData.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new IdentityVerificationException(Reason.MALFORMED, "the Mdm-Signature has " + signers.size()
                    + " signers; exactly one (the device identity) is expected");
        }
        SignerInformation signer = signers.iterator().next();
        String digest = ACCEPTED_DIGESTS.get(signer.getDigestAlgorithmID().getAlgorithm());
        if (digest == null) {
            throw new IdentityVerificationException(Reason.BAD_SIGNATURE, "the Mdm-Signature uses digest algorithm "
                    + signer.getDigestAlgorithmID().getAlgorithm().getId() + "; accepted are " + ACCEPTED_DIGESTS.values());
        }

        X509CertificateHolder signerHolder;
        List<X509Certificate> chain = new ArrayList<>();
        try {
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> all = signedData.getCertificates().getMatches(null);
            if (all.size() > MAX_CERTIFICATES) {
                throw new IdentityVerificationException(Reason.MALFORMED, "the Mdm-Signature carries " + all.size()
                        + " certificates; at most " + MAX_CERTIFICATES + " are accepted");
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = signedData.getCertificates().getMatches((Selector<X509CertificateHolder>) signer.getSID());
            if (matches.size() != 1) {
                throw new IdentityVerificationException(Reason.MALFORMED, "the Mdm-Signature carries " + (matches.isEmpty() ? "no" : matches.size())
                        + " certificate" + (matches.size() > 1 ? "s" : "") + " matching its signer (" + describe(signer)
                        + "); exactly one, the device identity, is expected");
            }
            signerHolder = matches.iterator().next();
            chain.add(decoded(signerHolder.getEncoded()));
            for (X509CertificateHolder other : all) {
                if (!other.equals(signerHolder)) {
                    chain.add(decoded(other.getEncoded()));
                }
            }
        } catch (IdentityVerificationException e) {
            throw e;
        } catch (Exception e) {
            throw new IdentityVerificationException(Reason.MALFORMED, "the certificates in the Mdm-Signature cannot be parsed: " + e, e);
        }

        String name = IdentityChainValidator.describe(chain.get(0));
        boolean verified;
        try {
            // the JDK's key and signature: BouncyCastle re-validates an RSA modulus (Miller-Rabin) every time it builds a key
            // from a certificate, which made this the most expensive step of every device request
            verified = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(chain.get(0)));
        } catch (CMSSignerDigestMismatchException e) {
            throw new IdentityVerificationException(Reason.BAD_SIGNATURE, "the Mdm-Signature by " + name
                    + " was made over another body (" + digest + " message digest differs)", e);
        } catch (CMSVerifierCertificateNotValidException e) {
            throw new IdentityVerificationException(Reason.EXPIRED, "the Mdm-Signature by " + name
                    + " claims a signing time outside the certificate's validity: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IdentityVerificationException(Reason.BAD_SIGNATURE, "the Mdm-Signature by " + name + " does not verify: " + e.getMessage(), e);
        }
        if (!verified) {
            throw new IdentityVerificationException(Reason.BAD_SIGNATURE, "the Mdm-Signature by " + name
                    + " does not verify over the request body with the signer certificate's key");
        }
        return chain;
    }

    private static String describe(SignerInformation signer) {
        var id = signer.getSID();
        if (id.getIssuer() != null) {
            return "issuer '" + id.getIssuer() + "', serial " + (id.getSerialNumber() == null ? "?" : id.getSerialNumber().toString(16));
        }
        return "subject key identifier";
    }
}
