package io.verger.simulator.enroll;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The client side of SCEP (RFC 8894) as an Apple device speaks it: reading GetCACaps and GetCACert, building the
 * PKCS#10 request and its PKCSReq pkiMessage (CMS SignedData over an EnvelopedData to the CA or RA, signed with a
 * self-signed certificate of the new key), and checking and opening the CertRep. No I/O: {@link ScepEnrollment}
 * sends what this builds.
 */
public final class ScepMessages {

    // id-VeriSign 2.16.840.1.113733.1.9.x: the SCEP authenticated attributes (RFC 8894 section 3.2.1)
    static final ASN1ObjectIdentifier MESSAGE_TYPE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.2");
    static final ASN1ObjectIdentifier PKI_STATUS = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.3");
    static final ASN1ObjectIdentifier FAIL_INFO = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.4");
    static final ASN1ObjectIdentifier SENDER_NONCE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.5");
    static final ASN1ObjectIdentifier RECIPIENT_NONCE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.6");
    static final ASN1ObjectIdentifier TRANSACTION_ID = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.7");

    public static final String PKCS_REQ = "19";
    public static final String CERT_REP = "3";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> FAIL_INFO_NAMES = List.of("badAlg", "badMessageCheck", "badRequest", "badTime", "badCertId");

    private ScepMessages() {
    }

    /** A SCEP exchange that went wrong on the server's side (FAILURE, PENDING) or in what it answered. */
    public static final class ScepException extends Exception {
        private static final long serialVersionUID = 1L;

        public ScepException(String message) {
            super(message);
        }

        public ScepException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What GetCACaps announced (RFC 8894 section 3.5.2), case-insensitively. */
    public record Capabilities(Set<String> names) {

        public static Capabilities parse(String text) {
            Set<String> names = new LinkedHashSet<>();
            for (String line : text.split("\r?\n")) {
                String name = line.trim();
                if (!name.isEmpty()) {
                    names.add(name.toUpperCase(Locale.ROOT));
                }
            }
            return new Capabilities(Set.copyOf(names));
        }

        public boolean has(String name) {
            return names.contains(name.toUpperCase(Locale.ROOT));
        }

        /** SCEPStandard implies AES, POSTPKIOperation and SHA-256. */
        public boolean scepStandard() {
            return has("SCEPStandard");
        }

        public boolean postPkiOperation() {
            return scepStandard() || has("POSTPKIOperation");
        }

        /** The digest of the pkiMessage and CSR signatures: SHA-256 when offered, else SHA-512, else SHA-1 (the RFC's fallback). */
        public String digest() {
            if (scepStandard() || has("SHA-256")) {
                return "SHA256";
            }
            return has("SHA-512") ? "SHA512" : "SHA1";
        }

        /** The envelope's content cipher: AES-128-CBC when offered, else triple DES. */
        public ASN1ObjectIdentifier cipher() {
            return scepStandard() || has("AES") ? CMSAlgorithm.AES128_CBC : CMSAlgorithm.DES_EDE3_CBC;
        }

        public String signatureAlgorithm(PrivateKey key) {
            return digest() + ("EC".equals(key.getAlgorithm()) ? "withECDSA" : "withRSA");
        }
    }

    /**
     * What GetCACert answered: every certificate, the one the request is encrypted to (an RA's encryption certificate,
     * else the issuing CA) and those a CertRep may be signed by.
     */
    public record CaCertificates(List<X509Certificate> all, X509Certificate recipient) {

        /**
         * @param mediaType {@code application/x-x509-ca-cert} (one DER certificate) or {@code application/x-x509-ca-ra-cert}
         *                  (a degenerate PKCS#7 with the RA and CA certificates); anything else is recognized by its content
         */
        public static CaCertificates parse(String mediaType, byte[] body) throws ScepException {
            if (body == null || body.length == 0) {
                throw new ScepException("GetCACert answered an empty body (" + describe(mediaType) + ")");
            }
            List<X509Certificate> certs = new ArrayList<>();
            boolean pkcs7 = "application/x-x509-ca-ra-cert".equals(mediaType);
            if (!pkcs7) {
                try {
                    certs.add((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(body)));
                } catch (Exception e) {
                    pkcs7 = true; // a PKCS#7 under another media type: try it as one
                }
            }
            if (pkcs7) {
                try {
                    CMSSignedData degenerate = new CMSSignedData(body);
                    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
                    for (X509CertificateHolder h : degenerate.getCertificates().getMatches(null)) {
                        certs.add(converter.getCertificate(h));
                    }
                } catch (Exception e) {
                    throw new ScepException("GetCACert answered neither a DER certificate nor a PKCS#7 certificate bundle ("
                            + describe(mediaType) + ", " + body.length + " bytes): " + e.getMessage(), e);
                }
            }
            if (certs.isEmpty()) {
                throw new ScepException("GetCACert answered a PKCS#7 without certificates");
            }
            return new CaCertificates(List.copyOf(certs), recipient(certs));
        }

        /**
         * RFC 8894 section 3.5.1.2: with RA certificates, requests are encrypted to the RA certificate that allows key
         * encipherment; without, to the CA. Of several CA certificates the issuing one is the one that issued none of
         * the others.
         */
        static X509Certificate recipient(List<X509Certificate> certs) {
            for (X509Certificate c : certs) {
                if (c.getBasicConstraints() < 0 && allows(c, 2)) {
                    return c;
                }
            }
            for (X509Certificate c : certs) {
                if (c.getBasicConstraints() < 0) {
                    return c;
                }
            }
            for (X509Certificate c : certs) {
                boolean issuedAnother = certs.stream().anyMatch(o -> o != c && o.getIssuerX500Principal().equals(c.getSubjectX500Principal())
                        && !o.getSubjectX500Principal().equals(c.getSubjectX500Principal()));
                if (!issuedAnother) {
                    return c;
                }
            }
            return certs.get(0);
        }

        private static boolean allows(X509Certificate c, int keyUsageBit) {
            boolean[] ku = c.getKeyUsage();
            return ku == null || (ku.length > keyUsageBit && ku[keyUsageBit]);
        }

        /** Whether {@code signer} may sign a CertRep: one of these certificates, or issued by one of them. */
        boolean vouchesFor(X509Certificate signer) {
            for (X509Certificate c : all) {
                if (c.equals(signer)) {
                    return true;
                }
            }
            for (X509Certificate c : all) {
                try {
                    signer.verify(c.getPublicKey());
                    return true;
                } catch (Exception e) {
                    // not this one
                }
            }
            return false;
        }

        /** The SHA-256, SHA-1 or MD5 fingerprint (by its length) of one of these certificates matches {@code fingerprint}. */
        public boolean matchesFingerprint(byte[] fingerprint) {
            String alg = switch (fingerprint.length) {
                case 16 -> "MD5";
                case 20 -> "SHA-1";
                case 32 -> "SHA-256";
                default -> null;
            };
            if (alg == null) {
                return false;
            }
            for (X509Certificate c : all) {
                try {
                    if (Arrays.equals(MessageDigest.getInstance(alg).digest(c.getEncoded()), fingerprint)) {
                        return true;
                    }
                } catch (Exception e) {
                    return false;
                }
            }
            return false;
        }
    }

    /**
     * The X.500 name of a SCEP payload's {@code Subject}: an array of RDNs, each an array of [type, value] pairs, the
     * type a short name (C, L, ST, O, OU, CN, …) or a dotted OID.
     */
    public static X500Name subject(List<?> payloadSubject) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        if (payloadSubject == null) {
            return b.build();
        }
        for (Object rdn : payloadSubject) {
            if (!(rdn instanceof List<?> pairs) || pairs.isEmpty()) {
                throw new IllegalArgumentException("SCEP Subject: each entry must be an array of [type, value] pairs, found " + rdn);
            }
            ASN1ObjectIdentifier[] types = new ASN1ObjectIdentifier[pairs.size()];
            String[] values = new String[pairs.size()];
            for (int i = 0; i < pairs.size(); i++) {
                if (!(pairs.get(i) instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof String type)
                        || !(pair.get(1) instanceof String value)) {
                    throw new IllegalArgumentException("SCEP Subject: expected a [type, value] pair of strings, found " + pairs.get(i));
                }
                types[i] = BCStyle.INSTANCE.attrNameToOID(type.trim());
                values[i] = value;
            }
            if (types.length == 1) {
                b.addRDN(types[0], values[0]);
            } else {
                b.addMultiValuedRDN(types, values);
            }
        }
        return b.build();
    }

    /**
     * The PKCS#10 request: {@code subject}, the challenge password (PrintableString when it fits, else UTF8String) and
     * the key usage the payload asks for (Apple's bits: 1 signing, 4 encryption) as an extension request.
     */
    public static PKCS10CertificationRequest csr(KeyPair keys, X500Name subject, String challenge, long keyUsage, String signatureAlgorithm)
            throws Exception {
        JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
        if (challenge != null && !challenge.isEmpty()) {
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                    DERPrintableString.isPrintableString(challenge) ? new DERPrintableString(challenge) : new DERUTF8String(challenge));
        }
        int usage = 0;
        if ((keyUsage & 1) != 0) {
            usage |= KeyUsage.digitalSignature;
        }
        if ((keyUsage & 4) != 0) {
            usage |= KeyUsage.keyEncipherment;
        }
        if (usage != 0) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        return b.build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate()));
    }

    /** The self-signed certificate of the new key that signs the PKCSReq (RFC 8894 section 2.3). */
    public static X509Certificate selfSigned(KeyPair keys, X500Name subject, String signatureAlgorithm) throws Exception {
        X500Name name = subject.getRDNs().length > 0 ? subject : new X500Name("CN=SCEP client");
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, new BigInteger(63, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate())));
    }

    /** A pkiMessage ready to send, with what its answer must echo. */
    public record PkiMessage(byte[] der, String transactionId, byte[] senderNonce) {
    }

    /** A transaction ID unique per request (with shared keys, a hash of the public key would repeat). */
    public static String newTransactionId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return HexFormat.of().withUpperCase().formatHex(id);
    }

    /**
     * PKCSReq: the DER CSR enveloped to {@code recipient} with the capabilities' cipher, in a SignedData signed by
     * {@code signer} (the self-signed certificate of {@code keys}) with the messageType, transactionID and senderNonce
     * attributes.
     */
    public static PkiMessage pkcsReq(PKCS10CertificationRequest csr, KeyPair keys, X509Certificate signer, X509Certificate recipient,
            Capabilities caps, String transactionId) throws Exception {
        CMSEnvelopedDataGenerator envelope = new CMSEnvelopedDataGenerator();
        envelope.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient));
        CMSEnvelopedData enveloped = envelope.generate(new CMSProcessableByteArray(csr.getEncoded()),
                new JceCMSContentEncryptorBuilder(caps.cipher()).build());
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new Attribute(MESSAGE_TYPE, new DERSet(new DERPrintableString(PKCS_REQ))));
        attributes.add(new Attribute(TRANSACTION_ID, new DERSet(new DERPrintableString(transactionId))));
        attributes.add(new Attribute(SENDER_NONCE, new DERSet(new DEROctetString(nonce))));
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build(new JcaContentSignerBuilder(caps.signatureAlgorithm(keys.getPrivate())).build(keys.getPrivate()), signer));
        generator.addCertificates(new JcaCertStore(List.of(signer)));
        byte[] der = generator.generate(new CMSProcessableByteArray(enveloped.getEncoded()), true).getEncoded("DER");
        return new PkiMessage(der, transactionId, nonce);
    }

    /** A CertRep's verdict: SUCCESS with the issued certificate, or why not. */
    public record CertRep(String pkiStatus, String failInfo, X509Certificate issued, X509Certificate signer) {
        public boolean success() {
            return "0".equals(pkiStatus);
        }
    }

    /**
     * Checks a CertRep against the request it answers (signed by the CA or an RA of {@code ca}, messageType CertRep,
     * same transactionID, recipientNonce = our senderNonce) and, on SUCCESS, decrypts the envelope with {@code key}
     * and finds the certificate issued for {@code publicKey}.
     *
     * @throws ScepException for a bad or mismatched answer, FAILURE (with its failInfo) and PENDING
     */
    public static CertRep certRep(byte[] der, PkiMessage request, KeyPair keys, X509Certificate requester, CaCertificates ca)
            throws ScepException {
        CMSSignedData signed;
        SignerInformation signerInfo;
        try {
            signed = new CMSSignedData(der);
            Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                throw new ScepException("the CertRep has " + signers.size() + " signers, expected one");
            }
            signerInfo = signers.iterator().next();
        } catch (ScepException e) {
            throw e;
        } catch (Exception e) {
            throw new ScepException("the PKIOperation answer is not a CMS SignedData (" + der.length + " bytes): " + e.getMessage(), e);
        }
        X509Certificate signer = signerCertificate(signed, signerInfo, ca);
        try {
            if (!signerInfo.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signer))) {
                throw new ScepException("the CertRep's signature does not verify with " + signer.getSubjectX500Principal());
            }
        } catch (ScepException e) {
            throw e;
        } catch (Exception e) {
            throw new ScepException("the CertRep's signature does not verify with " + signer.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
        AttributeTable attrs = signerInfo.getSignedAttributes();
        String messageType = printable(attrs, MESSAGE_TYPE);
        if (!CERT_REP.equals(messageType)) {
            throw new ScepException("the answer's messageType is " + messageType + ", expected " + CERT_REP + " (CertRep)");
        }
        String transactionId = printable(attrs, TRANSACTION_ID);
        if (!request.transactionId().equals(transactionId)) {
            throw new ScepException("the CertRep's transactionID is " + transactionId + ", the request's " + request.transactionId());
        }
        byte[] recipientNonce = octets(attrs, RECIPIENT_NONCE);
        if (recipientNonce == null || !Arrays.equals(recipientNonce, request.senderNonce())) {
            throw new ScepException("the CertRep's recipientNonce " + (recipientNonce == null ? "is missing" : HexFormat.of().formatHex(recipientNonce))
                    + ", expected our senderNonce " + HexFormat.of().formatHex(request.senderNonce()));
        }
        String status = printable(attrs, PKI_STATUS);
        if ("2".equals(status)) {
            String failInfo = printable(attrs, FAIL_INFO);
            throw new ScepException("SCEP FAILURE, failInfo " + failInfo + failInfoName(failInfo) + " (transaction " + transactionId + ")");
        }
        if ("3".equals(status)) {
            throw new ScepException("SCEP PENDING (transaction " + transactionId
                    + "): the CA wants to approve the request later; the simulator does not poll (CertPoll), so this counts as a failure");
        }
        if (!"0".equals(status)) {
            throw new ScepException("the CertRep's pkiStatus is " + status + ", expected 0 (SUCCESS), 2 (FAILURE) or 3 (PENDING)");
        }
        if (signed.getSignedContent() == null) {
            throw new ScepException("a CertRep SUCCESS without content (pkcsPKIEnvelope)");
        }
        byte[] degenerate;
        try {
            CMSEnvelopedData envelope = new CMSEnvelopedData((byte[]) signed.getSignedContent().getContent());
            Collection<RecipientInformation> recipients = envelope.getRecipientInfos().getRecipients();
            if (recipients.isEmpty()) {
                throw new ScepException("the CertRep's envelope has no recipient");
            }
            degenerate = recipients.iterator().next().getContent(new JceKeyTransEnvelopedRecipient(keys.getPrivate()));
        } catch (ScepException e) {
            throw e;
        } catch (Exception e) {
            throw new ScepException("cannot decrypt the CertRep's envelope with the device key: " + e.getMessage(), e);
        }
        X509Certificate issued;
        try {
            issued = null;
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (X509CertificateHolder h : new CMSSignedData(degenerate).getCertificates().getMatches(null)) {
                X509Certificate c = converter.getCertificate(h);
                if (Arrays.equals(c.getPublicKey().getEncoded(), keys.getPublic().getEncoded())) {
                    issued = c;
                    break;
                }
            }
        } catch (Exception e) {
            throw new ScepException("the CertRep's envelope does not hold a PKCS#7 certificate bundle: " + e.getMessage(), e);
        }
        if (issued == null) {
            throw new ScepException("the CertRep SUCCESS holds no certificate for the requested key");
        }
        if (issued.getPublicKey().equals(requester.getPublicKey()) && issued.equals(requester)) {
            throw new ScepException("the CertRep returned the self-signed request certificate instead of an issued one");
        }
        return new CertRep(status, null, issued, signer);
    }

    private static X509Certificate signerCertificate(CMSSignedData signed, SignerInformation signerInfo, CaCertificates ca) throws ScepException {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try {
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> carried = signed.getCertificates().getMatches(signerInfo.getSID());
            for (X509CertificateHolder h : carried) {
                X509Certificate c = converter.getCertificate(h);
                if (ca.vouchesFor(c)) {
                    return c;
                }
                throw new ScepException("the CertRep is signed by " + c.getSubjectX500Principal() + ", which GetCACert did not name nor vouch for");
            }
            for (X509Certificate c : ca.all()) {
                if (signerInfo.getSID().match(new X509CertificateHolder(c.getEncoded()))) {
                    return c;
                }
            }
        } catch (ScepException e) {
            throw e;
        } catch (Exception e) {
            throw new ScepException("cannot read the CertRep's signer certificate: " + e.getMessage(), e);
        }
        throw new ScepException("the CertRep's signer is neither among its certificates nor among GetCACert's");
    }

    private static String failInfoName(String failInfo) {
        try {
            int i = Integer.parseInt(failInfo);
            return i >= 0 && i < FAIL_INFO_NAMES.size() ? " (" + FAIL_INFO_NAMES.get(i) + ")" : "";
        } catch (NumberFormatException e) {
            return "";
        }
    }

    static String printable(AttributeTable table, ASN1ObjectIdentifier type) {
        ASN1Encodable value = first(table, type);
        return value instanceof ASN1String s ? s.getString() : null;
    }

    static byte[] octets(AttributeTable table, ASN1ObjectIdentifier type) {
        ASN1Encodable value = first(table, type);
        return value instanceof ASN1OctetString o ? o.getOctets() : null;
    }

    private static ASN1Encodable first(AttributeTable table, ASN1ObjectIdentifier type) {
        if (table == null) {
            return null;
        }
        Attribute a = table.get(type);
        return a == null || a.getAttrValues().size() == 0 ? null : a.getAttrValues().getObjectAt(0);
    }

    private static String describe(String mediaType) {
        return mediaType == null || mediaType.isEmpty() ? "no Content-Type" : "Content-Type " + mediaType;
    }

    /** {@code s} as US-ASCII bytes (GetCACaps is plain text). */
    static String ascii(byte[] body) {
        return new String(body, StandardCharsets.US_ASCII);
    }
}
