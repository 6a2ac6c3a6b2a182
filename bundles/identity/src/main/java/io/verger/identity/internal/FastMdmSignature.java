package io.verger.identity.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchProviderException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The fast path of {@link MdmSignature}: verifies the common shape of an {@code Mdm-Signature} — one signer named by
 * issuer and serial number, signed attributes with content type, message digest and (optionally) signing time, an
 * RSA or ECDSA signature — with a small BER walker and the JDK's {@link Signature}, without building BouncyCastle's
 * object model of the CMS (which cost more than the RSA verification itself on every device request).
 *
 * <p>It only ever <em>accepts</em>: any structure it does not recognise, and any check that fails, returns
 * {@code null}, and the caller verifies again with BouncyCastle, which gives the precise verdict and message. So a
 * valid signature is verified once, cheaply; an invalid one is judged by the full implementation.
 */
final class FastMdmSignature {

    private static final byte[] OID_SIGNED_DATA = oid("2a864886f70d010702");
    private static final byte[] OID_DATA = oid("2a864886f70d010701");
    private static final byte[] OID_CONTENT_TYPE = oid("2a864886f70d010903");
    private static final byte[] OID_MESSAGE_DIGEST = oid("2a864886f70d010904");
    private static final byte[] OID_SIGNING_TIME = oid("2a864886f70d010905");
    private static final byte[] OID_ALGORITHM_PROTECTION = oid("2a864886f70d010934");
    private static final byte[] OID_RSA = oid("2a864886f70d010101");

    /** Digest algorithm OIDs (content bytes) to JCA names; the same set {@link MdmSignature} accepts. */
    private static final Map<String, String> DIGESTS = Map.of(
            "2b0e03021a", "SHA-1",
            "608648016503040201", "SHA-256",
            "608648016503040202", "SHA-384",
            "608648016503040203", "SHA-512");
    /** Signature algorithm OIDs that name their own digest, to JCA names. */
    private static final Map<String, String> SIGNATURES = Map.of(
            "2a864886f70d010105", "SHA1withRSA",
            "2a864886f70d01010b", "SHA256withRSA",
            "2a864886f70d01010c", "SHA384withRSA",
            "2a864886f70d01010d", "SHA512withRSA",
            "2a8648ce3d0401", "SHA1withECDSA",
            "2a8648ce3d040302", "SHA256withECDSA",
            "2a8648ce3d040303", "SHA384withECDSA",
            "2a8648ce3d040304", "SHA512withECDSA");
    private static final int MAX_CERTIFICATES = 10;
    private static final int MAX_DEPTH = 24;

    private FastMdmSignature() {
    }

    /**
     * @param decoder turns a certificate's DER bytes into a certificate (cached by the caller)
     * @return the signer's certificate first, then the other certificates the CMS carries, if the signature is of the
     *         common shape and verifies over {@code body}; {@code null} if the full implementation must decide
     */
    static List<X509Certificate> verify(byte[] cms, byte[] body, Function<byte[], X509Certificate> decoder) {
        try {
            return verifyOrNull(cms, body, decoder);
        } catch (RuntimeException | GeneralSecurityException | StackOverflowError e) {
            return null;
        }
    }

    private static List<X509Certificate> verifyOrNull(byte[] b, byte[] body, Function<byte[], X509Certificate> decoder)
            throws GeneralSecurityException {
        Ber ber = new Ber(b);
        // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT SignedData }
        int contentInfo = ber.expect(0, 0x30);
        if (ber.end(contentInfo) != b.length) {
            return null;
        }
        int p = ber.expect(ber.first(contentInfo), 0x06);
        if (!ber.contentEquals(p, OID_SIGNED_DATA)) {
            return null;
        }
        int explicit = ber.expect(ber.end(p), 0xA0);
        // SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo, [0] certificates, [1] crls, signerInfos SET }
        int signedData = ber.expect(ber.first(explicit), 0x30);
        int version = ber.expect(ber.first(signedData), 0x02);
        int digestAlgorithms = ber.expect(ber.end(version), 0x31);
        int encap = ber.expect(ber.end(digestAlgorithms), 0x30);
        int eType = ber.expect(ber.first(encap), 0x06);
        if (!ber.contentEquals(eType, OID_DATA) || ber.end(eType) != ber.contentEnd(encap)) {
            return null; // another content type, or encapsulated content: not a detached signature over the body
        }
        p = ber.end(encap);
        if (ber.tag(p) != 0xA0) {
            return null; // no certificates
        }
        List<Integer> certificates = new ArrayList<>(2);
        for (int c = ber.first(p); c < ber.contentEnd(p); c = ber.end(c)) {
            if (ber.tag(c) != 0x30 || certificates.size() == MAX_CERTIFICATES) {
                return null;
            }
            certificates.add(c);
        }
        p = ber.end(p);
        if (ber.tag(p) == 0xA1) {
            p = ber.end(p); // CRLs: not used for device identities
        }
        int signerInfos = ber.expect(p, 0x31);
        if (ber.end(signerInfos) != ber.contentEnd(signedData)) {
            return null;
        }
        int signerInfo = ber.expect(ber.first(signerInfos), 0x30);
        if (ber.end(signerInfo) != ber.contentEnd(signerInfos)) {
            return null; // not exactly one signer
        }
        // SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1] unsigned }
        int siVersion = ber.expect(ber.first(signerInfo), 0x02);
        int sid = ber.expect(ber.end(siVersion), 0x30); // IssuerAndSerialNumber; a subject key identifier goes the long way
        int sidIssuer = ber.expect(ber.first(sid), 0x30);
        int sidSerial = ber.expect(ber.end(sidIssuer), 0x02);
        int digestAlgorithm = ber.expect(ber.end(sid), 0x30);
        String digestName = DIGESTS.get(ber.hex(ber.expect(ber.first(digestAlgorithm), 0x06)));
        if (digestName == null) {
            return null;
        }
        int signedAttrs = ber.expect(ber.end(digestAlgorithm), 0xA0);
        if (ber.indefinite(signedAttrs)) {
            return null; // the signature is over the DER encoding; let the full implementation re-encode
        }
        int signatureAlgorithm = ber.expect(ber.end(signedAttrs), 0x30);
        int signatureValue = ber.expect(ber.end(signatureAlgorithm), 0x04);
        if (ber.indefinite(signatureValue)) {
            return null;
        }

        // the signer's certificate: exactly one carried certificate with the signer's issuer and serial number
        byte[] issuer = ber.bytes(sidIssuer);
        BigInteger serial = new BigInteger(ber.content(sidSerial));
        X509Certificate signer = null;
        List<X509Certificate> all = new ArrayList<>(certificates.size());
        for (int c : certificates) {
            X509Certificate certificate = decoder.apply(ber.bytes(c));
            all.add(certificate);
            if (certificate.getSerialNumber().equals(serial) && Arrays.equals(certificate.getIssuerX500Principal().getEncoded(), issuer)) {
                if (signer != null) {
                    return null;
                }
                signer = certificate;
            }
        }
        if (signer == null) {
            return null;
        }

        // signed attributes: content type id-data, the body's digest, a signing time within the certificate's validity
        boolean contentType = false;
        boolean digestMatches = false;
        boolean signingTime = false;
        boolean protection = false;
        for (int a = ber.first(signedAttrs); a < ber.contentEnd(signedAttrs); a = ber.end(a)) {
            ber.expect(a, 0x30);
            int type = ber.expect(ber.first(a), 0x06);
            int values = ber.expect(ber.end(type), 0x31);
            int value = ber.first(values);
            boolean single = value < ber.contentEnd(values) && ber.end(value) == ber.contentEnd(values);
            if (ber.contentEquals(type, OID_CONTENT_TYPE)) {
                if (contentType || !single || ber.tag(value) != 0x06 || !ber.contentEquals(value, OID_DATA)) {
                    return null;
                }
                contentType = true;
            } else if (ber.contentEquals(type, OID_MESSAGE_DIGEST)) {
                if (digestMatches || !single || ber.tag(value) != 0x04 || ber.indefinite(value)) {
                    return null;
                }
                byte[] expected = MessageDigest.getInstance(digestName).digest(body);
                if (!MessageDigest.isEqual(expected, ber.content(value))) {
                    return null;
                }
                digestMatches = true;
            } else if (ber.contentEquals(type, OID_SIGNING_TIME)) {
                if (signingTime || !single) {
                    return null;
                }
                Date at = signingTime(ber, value);
                if (at == null || at.before(signer.getNotBefore()) || at.after(signer.getNotAfter())) {
                    return null;
                }
                signingTime = true;
            } else if (ber.contentEquals(type, OID_ALGORITHM_PROTECTION)) {
                // RFC 6211: the algorithms named under the signature must be the ones used (compared as encoded)
                if (protection || !single || !protects(ber, value, digestAlgorithm, signatureAlgorithm)) {
                    return null;
                }
                protection = true;
            } else if (ber.tag(type) == 0x06 && ber.hex(type).startsWith("2a864886f70d0109")) {
                return null; // another PKCS #9 attribute (algorithm protection, counter-signature…): the full checks apply
            }
        }
        if (!contentType || !digestMatches) {
            return null;
        }

        String algorithm = signatureAlgorithm(ber, signatureAlgorithm, digestName, signer);
        if (algorithm == null) {
            return null;
        }
        Signature verifier = signature(algorithm);
        verifier.initVerify(signer.getPublicKey());
        // the signature is over the signed attributes as a DER SET OF: the [0] IMPLICIT tag becomes SET (0x31)
        byte[] attributes = ber.bytes(signedAttrs);
        attributes[0] = 0x31;
        verifier.update(attributes);
        if (!verifier.verify(ber.content(signatureValue))) {
            return null;
        }
        List<X509Certificate> chain = new ArrayList<>(all.size());
        chain.add(signer);
        for (X509Certificate other : all) {
            if (other != signer) {
                chain.add(other);
            }
        }
        return chain;
    }

    /** CMSAlgorithmProtection ::= SEQUENCE { digestAlgorithm, [1] IMPLICIT signatureAlgorithm OPTIONAL, [2] macAlgorithm OPTIONAL } */
    private static boolean protects(Ber ber, int value, int digestAlgorithm, int signatureAlgorithm) {
        ber.expect(value, 0x30);
        int digest = ber.expect(ber.first(value), 0x30);
        if (!Arrays.equals(ber.bytes(digest), ber.bytes(digestAlgorithm))) {
            return false;
        }
        int next = ber.end(digest);
        if (next == ber.contentEnd(value)) {
            return true;
        }
        int signature = ber.expect(next, 0xA1);
        return ber.end(signature) == ber.contentEnd(value)
                && Arrays.equals(ber.content(signature), ber.content(signatureAlgorithm));
    }

    private static String signatureAlgorithm(Ber ber, int algorithmIdentifier, String digestName, X509Certificate signer) {
        int oid = ber.expect(ber.first(algorithmIdentifier), 0x06);
        String named = SIGNATURES.get(ber.hex(oid));
        String keyAlgorithm = signer.getPublicKey().getAlgorithm();
        if (named != null) {
            boolean rsa = named.endsWith("RSA");
            return rsa == "RSA".equals(keyAlgorithm) && (rsa || "EC".equals(keyAlgorithm)) ? named : null;
        }
        if (ber.contentEquals(oid, OID_RSA) && "RSA".equals(keyAlgorithm)) {
            return digestName.replace("-", "") + "withRSA";
        }
        return null;
    }

    private static Signature signature(String algorithm) throws GeneralSecurityException {
        // the JDK's own providers: a provider registered first (BouncyCastle) re-validates an RSA modulus on every key
        try {
            return Signature.getInstance(algorithm, algorithm.endsWith("RSA") ? "SunRsaSign" : "SunEC");
        } catch (NoSuchProviderException e) {
            return Signature.getInstance(algorithm);
        }
    }

    /** UTCTime (YYMMDDhhmmssZ) or GeneralizedTime (YYYYMMDDhhmmssZ), the forms RFC 5652 allows; null for others. */
    private static Date signingTime(Ber ber, int value) {
        int tag = ber.tag(value);
        String text = new String(ber.content(value), java.nio.charset.StandardCharsets.US_ASCII);
        int year;
        String rest;
        if (tag == 0x17 && text.length() == 13 && text.endsWith("Z")) {
            int yy = Integer.parseInt(text.substring(0, 2));
            year = yy >= 50 ? 1900 + yy : 2000 + yy;
            rest = text.substring(2, 12);
        } else if (tag == 0x18 && text.length() == 15 && text.endsWith("Z")) {
            year = Integer.parseInt(text.substring(0, 4));
            rest = text.substring(4, 14);
        } else {
            return null;
        }
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) < '0' || rest.charAt(i) > '9') {
                return null;
            }
        }
        java.time.LocalDateTime at = java.time.LocalDateTime.of(year, Integer.parseInt(rest.substring(0, 2)), Integer.parseInt(rest.substring(2, 4)),
                Integer.parseInt(rest.substring(4, 6)), Integer.parseInt(rest.substring(6, 8)), Integer.parseInt(rest.substring(8, 10)));
        return Date.from(at.toInstant(java.time.ZoneOffset.UTC));
    }

    private static byte[] oid(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    /**
     * A BER walker over one byte array: an element is addressed by the offset of its tag. Single-byte tags, definite
     * lengths of up to 4 bytes and indefinite lengths (constructed elements only); anything else throws, which the
     * caller turns into "let the full implementation decide".
     */
    static final class Ber {
        private final byte[] b;

        Ber(byte[] b) {
            this.b = b;
        }

        int tag(int at) {
            if (at >= b.length) {
                return -1;
            }
            int tag = b[at] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException("multi-byte tag");
            }
            return tag;
        }

        int expect(int at, int tag) {
            if (tag(at) != tag) {
                throw new IllegalArgumentException("tag " + tag(at) + " at " + at + ", expected " + tag);
            }
            return at;
        }

        boolean indefinite(int at) {
            return (b[at + 1] & 0xFF) == 0x80;
        }

        /** @return the offset of the content */
        int first(int at) {
            int l = b[at + 1] & 0xFF;
            return l < 0x80 ? at + 2 : l == 0x80 ? at + 2 : at + 2 + (l & 0x7F);
        }

        /** @return the offset just past the content (before the end-of-contents octets of an indefinite length) */
        int contentEnd(int at) {
            return contentEnd(at, 0);
        }

        private int contentEnd(int at, int depth) {
            int l = b[at + 1] & 0xFF;
            if (l < 0x80) {
                return check(at + 2 + l);
            }
            if (l == 0x80) {
                if ((b[at] & 0x20) == 0 || depth > MAX_DEPTH) {
                    throw new IllegalArgumentException("indefinite length of a primitive element, or too deep");
                }
                int p = at + 2;
                while (!(b[p] == 0 && b[p + 1] == 0)) {
                    p = end(p, depth + 1);
                }
                return p;
            }
            int n = l & 0x7F;
            if (n > 4) {
                throw new IllegalArgumentException("length of " + n + " bytes");
            }
            long length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (b[at + 2 + i] & 0xFF);
            }
            return check(at + 2 + n + length);
        }

        private int check(long end) {
            if (end > b.length) {
                throw new IllegalArgumentException("element runs past the end");
            }
            return (int) end;
        }

        /** @return the offset of the next element */
        int end(int at) {
            return end(at, 0);
        }

        private int end(int at, int depth) {
            int contentEnd = contentEnd(at, depth);
            return indefinite(at) ? contentEnd + 2 : contentEnd;
        }

        byte[] content(int at) {
            return Arrays.copyOfRange(b, first(at), contentEnd(at));
        }

        /** @return the whole element, tag and length included */
        byte[] bytes(int at) {
            return Arrays.copyOfRange(b, at, end(at));
        }

        boolean contentEquals(int at, byte[] expected) {
            int from = first(at);
            int to = contentEnd(at);
            return Arrays.equals(b, from, to, expected, 0, expected.length);
        }

        String hex(int at) {
            return java.util.HexFormat.of().formatHex(b, first(at), contentEnd(at));
        }
    }
}
