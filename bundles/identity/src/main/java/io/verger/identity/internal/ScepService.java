package io.verger.identity.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.identity.CertificateFingerprint;
import io.verger.api.storage.CertAuthStore;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The SCEP server (RFC 8894) without the servlet: GetCACaps, GetCACert and PKIOperation with
 * PKCSReq (authorized by a challenge password) and RenewalReq (authorized by a still valid
 * identity this CA issued). Every refused request is answered with a signed CertRep FAILURE
 * carrying its failInfo, or with a 4xx when the message is too broken to answer; nothing is issued
 * for it.
 */
final class ScepService {

    /** The capabilities we announce (RFC 8894 section 3.5.2). */
    static final String CAPABILITIES = "POSTPKIOperation\nSHA-256\nSHA-512\nAES\nDES3\nRenewal\nSCEPStandard\n";
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    // id-VeriSign 2.16.840.1.113733.1.9.x: the SCEP authenticated attributes
    static final ASN1ObjectIdentifier MESSAGE_TYPE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.2");
    static final ASN1ObjectIdentifier PKI_STATUS = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.3");
    static final ASN1ObjectIdentifier FAIL_INFO = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.4");
    static final ASN1ObjectIdentifier SENDER_NONCE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.5");
    static final ASN1ObjectIdentifier RECIPIENT_NONCE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.6");
    static final ASN1ObjectIdentifier TRANSACTION_ID = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.7");

    static final String CERT_REP = "3";
    static final String RENEWAL_REQ = "17";
    static final String PKCS_REQ = "19";

    /** RFC 8894 failInfo values. */
    enum FailInfo {
        BAD_ALG("0"), BAD_MESSAGE_CHECK("1"), BAD_REQUEST("2"), BAD_TIME("3"), BAD_CERT_ID("4");

        final String code;

        FailInfo(String code) {
            this.code = code;
        }
    }

    private static final Set<ASN1ObjectIdentifier> DIGESTS = Set.of(OIWObjectIdentifiers.idSHA1, NISTObjectIdentifiers.id_sha224,
            NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);
    private static final Map<ASN1ObjectIdentifier, ASN1ObjectIdentifier> CONTENT_CIPHERS = Map.of(
            CMSAlgorithm.AES128_CBC, CMSAlgorithm.AES128_CBC, CMSAlgorithm.AES192_CBC, CMSAlgorithm.AES192_CBC,
            CMSAlgorithm.AES256_CBC, CMSAlgorithm.AES256_CBC, CMSAlgorithm.DES_EDE3_CBC, CMSAlgorithm.DES_EDE3_CBC);
    private static final Logger LOG = LoggerFactory.getLogger(ScepService.class);

    // All SCEP cryptography uses the JDK's providers: BouncyCastle's provider re-validates an RSA modulus (Miller-Rabin)
    // for every key it builds, which made each PKIOperation cost several milliseconds more
    private final SecureRandom random = new SecureRandom();
    private final Supplier<ScepAuthority> authority;
    private final Supplier<EnrollmentSecrets> secrets;
    private final Supplier<CertAuthStore> certAuth;

    ScepService(Supplier<ScepAuthority> authority, Supplier<EnrollmentSecrets> secrets, Supplier<CertAuthStore> certAuth) {
        this.authority = authority;
        this.secrets = secrets;
        this.certAuth = certAuth;
    }

    /** An HTTP answer. */
    record Response(int status, String contentType, byte[] body) {
        static Response text(int status, String message) {
            return new Response(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A refusal that is answered with a CertRep FAILURE. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final FailInfo failInfo;

        Refused(FailInfo failInfo, String message) {
            super(message);
            this.failInfo = failInfo;
        }
    }

    /**
     * @param operation the {@code operation} query parameter
     * @param message   the {@code message} query parameter (GET), or null
     * @param body      the request body (POST), or null
     */
    Response handle(String operation, String message, byte[] body) {
        if (operation == null) {
            return Response.text(400, "missing the SCEP 'operation' parameter (GetCACaps, GetCACert or PKIOperation)");
        }
        ScepAuthority ca = authority.get();
        if (ca == null) {
            return Response.text(503, "the device CA is not available");
        }
        try {
            switch (operation) {
                case "GetCACaps":
                    return new Response(200, "text/plain; charset=us-ascii", CAPABILITIES.getBytes(StandardCharsets.US_ASCII));
                case "GetCACert":
                    return caCertificates(ca);
                case "PKIOperation":
                    byte[] der;
                    if (body != null && body.length > 0) {
                        der = body;
                    } else if (message != null && !message.isBlank()) {
                        try {
                            der = Base64.getMimeDecoder().decode(message.replace(' ', '+'));
                        } catch (IllegalArgumentException e) {
                            return Response.text(400, "the 'message' parameter is not base64: " + e.getMessage());
                        }
                    } else {
                        return Response.text(400, "PKIOperation without a message (POST body or 'message' parameter)");
                    }
                    if (der.length > MAX_MESSAGE_BYTES) {
                        return Response.text(413, "a SCEP message is at most " + MAX_MESSAGE_BYTES + " bytes");
                    }
                    return pkiOperation(ca, der);
                default:
                    return Response.text(400, "unsupported SCEP operation '" + operation + "'; supported: GetCACaps, GetCACert, PKIOperation");
            }
        } catch (Exception e) {
            LOG.error("SCEP {} failed", operation, e);
            return Response.text(500, "SCEP " + operation + " failed: " + e.getMessage());
        }
    }

    private Response caCertificates(ScepAuthority ca) throws Exception {
        List<X509Certificate> chain = ca.certificateChain();
        if (chain.size() == 1) {
            return new Response(200, "application/x-x509-ca-cert", chain.get(0).getEncoded());
        }
        CMSSignedDataGenerator degenerate = new CMSSignedDataGenerator();
        degenerate.addCertificates(new JcaCertStore(chain));
        return new Response(200, "application/x-x509-ca-ra-cert", degenerate.generate(new CMSAbsentContent()).getEncoded("DER"));
    }

    private Response pkiOperation(ScepAuthority ca, byte[] der) throws Exception {
        if (!(ca.privateKey() instanceof RSAPrivateKey) && !"RSA".equals(ca.privateKey().getAlgorithm())) {
            return Response.text(503, "SCEP needs an RSA device CA (its envelopes are RSA key transport); the configured CA key is "
                    + ca.privateKey().getAlgorithm());
        }
        CMSSignedData signed;
        SignerInformation signer;
        AttributeTable attributes;
        try {
            signed = new CMSSignedData(der);
            Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return Response.text(400, "a SCEP pkiMessage has exactly one signer, this one has " + signers.size());
            }
            signer = signers.iterator().next();
            attributes = signer.getSignedAttributes();
        } catch (Exception e) {
            return Response.text(400, "not a SCEP pkiMessage (CMS SignedData): " + e.getMessage());
        }
        String messageType = printable(attributes, MESSAGE_TYPE);
        String transactionId = printable(attributes, TRANSACTION_ID);
        byte[] senderNonce = octets(attributes, SENDER_NONCE);
        if (messageType == null || transactionId == null || transactionId.isBlank() || senderNonce == null) {
            return Response.text(400, "the SCEP pkiMessage lacks its messageType, transactionID or senderNonce attribute");
        }
        Request request = new Request(messageType, transactionId, senderNonce);
        try {
            X509Certificate issued = process(ca, signed, signer, request);
            return certRep(ca, request, issued, null);
        } catch (Refused refused) {
            LOG.warn("SCEP {} transaction {} refused ({}): {}", name(messageType), transactionId, refused.failInfo, refused.getMessage());
            return certRep(ca, request, null, refused.failInfo);
        }
    }

    /** What the CertRep answers: the request's transaction, nonce, and (once known) the requester and its cipher. */
    private static final class Request {
        final String messageType;
        final String transactionId;
        final byte[] senderNonce;
        X509Certificate requester;
        ASN1ObjectIdentifier cipher = CMSAlgorithm.AES128_CBC;

        Request(String messageType, String transactionId, byte[] senderNonce) {
            this.messageType = messageType;
            this.transactionId = transactionId;
            this.senderNonce = senderNonce;
        }
    }

    private X509Certificate process(ScepAuthority ca, CMSSignedData signed, SignerInformation signer, Request request) throws Refused {
        if (!PKCS_REQ.equals(request.messageType) && !RENEWAL_REQ.equals(request.messageType)) {
            throw new Refused(FailInfo.BAD_REQUEST, "message type " + name(request.messageType) + " is not supported; send PKCSReq or RenewalReq");
        }
        if (!DIGESTS.contains(new ASN1ObjectIdentifier(signer.getDigestAlgOID()))) {
            throw new Refused(FailInfo.BAD_ALG, "digest algorithm " + signer.getDigestAlgOID() + " is not accepted; use SHA-256");
        }
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> signerCerts = signed.getCertificates().getMatches(signer.getSID());
        if (signerCerts.isEmpty()) {
            throw new Refused(FailInfo.BAD_CERT_ID, "the pkiMessage does not carry its signer's certificate");
        }
        X509CertificateHolder signerHolder = signerCerts.iterator().next();
        try {
            // the JDK's RSA: BouncyCastle's provider re-validates the requester's modulus (Miller-Rabin) for every key it builds
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signerHolder))) {
                throw new Refused(FailInfo.BAD_MESSAGE_CHECK, "the signature does not verify with the signer's certificate " + signerHolder.getSubject());
            }
            request.requester = Pem.toX509(signerHolder.getEncoded());
        } catch (Refused e) {
            throw e;
        } catch (Exception e) {
            throw new Refused(FailInfo.BAD_MESSAGE_CHECK, "the signature does not verify: " + e.getMessage());
        }
        if (!"RSA".equals(request.requester.getPublicKey().getAlgorithm())) {
            throw new Refused(FailInfo.BAD_ALG, "the requester's certificate has a " + request.requester.getPublicKey().getAlgorithm()
                    + " key; the CertRep envelope needs RSA");
        }
        byte[] csrBytes = decrypt(ca.privateKey(), signed, request);
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(csrBytes);
        } catch (Exception e) {
            throw new Refused(FailInfo.BAD_REQUEST, "the enveloped content is not a PKCS#10 certification request: " + e.getMessage());
        }
        // a PKCSReq signed with an identity this CA issued is a renewal too (RFC 8894 section 3.3.1.2; jscep sends it so)
        boolean renewal = RENEWAL_REQ.equals(request.messageType) || issuedBy(ca, request.requester);
        X509Certificate previous = null;
        if (renewal) {
            previous = checkRenewal(ca, request.requester, csr);
        } else if (!sameKey(request.requester, csr)) {
            throw new Refused(FailInfo.BAD_MESSAGE_CHECK, "a PKCSReq must be signed with the key it asks a certificate for");
        }
        EnrollmentSecrets enrollment = secrets.get();
        if (enrollment == null) {
            throw new Refused(FailInfo.BAD_REQUEST, "enrollment is not available (no enrollment secret store)");
        }
        // the challenge first: a request refused for its challenge does not use up its transaction ID, so the device
        // may send it again with a valid one; a replay of an answered request fails on its used challenge anyway
        if (!renewal && !enrollment.acceptChallenge(challengePassword(csr))) {
            throw new Refused(FailInfo.BAD_REQUEST, "the challenge password is missing, wrong, used or expired");
        }
        if (!enrollment.firstUseOfTransaction(request.transactionId)) {
            throw new Refused(FailInfo.BAD_REQUEST, "transaction ID " + request.transactionId + " was used before (replay)");
        }
        X509Certificate issued;
        try {
            issued = ca.issue(csrBytes, ca.defaultValidity());
        } catch (CertificateException | RuntimeException e) {
            throw new Refused(FailInfo.BAD_REQUEST, e.getMessage());
        }
        if (renewal) {
            rebind(previous, issued);
        }
        return issued;
    }

    private static boolean issuedBy(ScepAuthority ca, X509Certificate certificate) {
        X509Certificate caCertificate = ca.certificateChain().get(0);
        if (!caCertificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false; // a new device's self-signed certificate: no signature check needed to know
        }
        try {
            certificate.verify(caCertificate.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A RenewalReq is signed by the identity it renews: valid, issued by this CA, for the same subject. */
    private X509Certificate checkRenewal(ScepAuthority ca, X509Certificate previous, PKCS10CertificationRequest csr) throws Refused {
        X509Certificate caCertificate = ca.certificateChain().get(0);
        try {
            previous.verify(caCertificate.getPublicKey());
        } catch (Exception e) {
            throw new Refused(FailInfo.BAD_CERT_ID, "a RenewalReq must be signed with an identity issued by this CA; "
                    + previous.getSubjectX500Principal() + " is not");
        }
        try {
            previous.checkValidity(new Date());
        } catch (CertificateException e) {
            throw new Refused(FailInfo.BAD_TIME, "the identity to renew " + previous.getSubjectX500Principal() + " is not valid now: " + e.getMessage());
        }
        X500Name before = X500Name.getInstance(previous.getSubjectX500Principal().getEncoded());
        if (!before.equals(csr.getSubject())) {
            throw new Refused(FailInfo.BAD_REQUEST, "a RenewalReq must keep the subject " + before + ", not " + csr.getSubject());
        }
        return previous;
    }

    /**
     * The renewed identity acts for the enrollment of the identity that signed the renewal, at once:
     * holding that key proves it is the same device. The old binding is kept until it expires.
     */
    private void rebind(X509Certificate previous, X509Certificate renewed) {
        CertAuthStore store = certAuth.get();
        if (store == null) {
            LOG.warn("renewed identity {} is not bound yet (no cert-auth store); the device binds it at its next Authenticate",
                    renewed.getSubjectX500Principal());
            return;
        }
        Optional<EnrollmentId> enrollment = store.enrollmentOf(CertificateFingerprint.of(previous));
        enrollment.ifPresent(id -> {
            store.bind(id, CertificateFingerprint.of(renewed));
            LOG.info("cert-auth: renewed identity {} bound to enrollment {} (renewal of {})", CertificateFingerprint.of(renewed), id,
                    CertificateFingerprint.of(previous));
        });
    }

    private byte[] decrypt(PrivateKey caKey, CMSSignedData signed, Request request) throws Refused {
        try {
            if (signed.getSignedContent() == null) {
                throw new Refused(FailInfo.BAD_REQUEST, "the pkiMessage has no content (pkcsPKIEnvelope)");
            }
            CMSEnvelopedData envelope = new CMSEnvelopedData((byte[]) signed.getSignedContent().getContent());
            ASN1ObjectIdentifier cipher = new ASN1ObjectIdentifier(envelope.getEncryptionAlgOID());
            if (!CONTENT_CIPHERS.containsKey(cipher)) {
                throw new Refused(FailInfo.BAD_ALG, "content encryption " + cipher + " is not accepted; use AES or DES3");
            }
            request.cipher = cipher;
            Collection<RecipientInformation> recipients = envelope.getRecipientInfos().getRecipients();
            if (recipients.isEmpty()) {
                throw new Refused(FailInfo.BAD_REQUEST, "the pkcsPKIEnvelope has no recipient");
            }
            return recipients.iterator().next().getContent(new JceKeyTransEnvelopedRecipient(caKey));
        } catch (Refused e) {
            throw e;
        } catch (Exception e) {
            throw new Refused(FailInfo.BAD_REQUEST, "cannot decrypt the pkcsPKIEnvelope with the CA key: " + e.getMessage());
        }
    }

    private Response certRep(ScepAuthority ca, Request request, X509Certificate issued, FailInfo failInfo) throws Exception {
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(attribute(MESSAGE_TYPE, new DERPrintableString(CERT_REP)));
        attributes.add(attribute(PKI_STATUS, new DERPrintableString(failInfo == null ? "0" : "2")));
        if (failInfo != null) {
            attributes.add(attribute(FAIL_INFO, new DERPrintableString(failInfo.code)));
        }
        attributes.add(attribute(TRANSACTION_ID, new DERPrintableString(request.transactionId)));
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        attributes.add(attribute(SENDER_NONCE, new DEROctetString(nonce)));
        attributes.add(attribute(RECIPIENT_NONCE, new DEROctetString(request.senderNonce)));

        CMSTypedData content = new CMSAbsentContent();
        boolean encapsulate = false;
        if (issued != null) {
            CMSSignedDataGenerator certsOnly = new CMSSignedDataGenerator();
            certsOnly.addCertificates(new JcaCertStore(List.of(issued)));
            byte[] degenerate = certsOnly.generate(new CMSAbsentContent()).getEncoded("DER");
            CMSEnvelopedDataGenerator envelope = new CMSEnvelopedDataGenerator();
            envelope.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(request.requester));
            CMSEnvelopedData enveloped = envelope.generate(new CMSProcessableByteArray(degenerate),
                    new JceCMSContentEncryptorBuilder(CONTENT_CIPHERS.get(request.cipher)).build());
            content = new CMSProcessableByteArray(enveloped.getEncoded());
            encapsulate = true;
        }
        X509Certificate caCertificate = ca.certificateChain().get(0);
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.privateKey()), caCertificate));
        generator.addCertificates(new JcaCertStore(List.of(caCertificate)));
        byte[] answer = generator.generate(content, encapsulate).getEncoded("DER");
        if (issued != null) {
            LOG.info("SCEP {} transaction {}: issued {} serial {}", name(request.messageType), request.transactionId,
                    issued.getSubjectX500Principal(), issued.getSerialNumber().toString(16));
        }
        return new Response(200, "application/x-pki-message", answer);
    }

    private static Attribute attribute(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new Attribute(type, new DERSet(value));
    }

    private static String printable(AttributeTable table, ASN1ObjectIdentifier type) {
        ASN1Encodable value = first(table, type);
        return value instanceof ASN1String string ? string.getString() : null;
    }

    private static byte[] octets(AttributeTable table, ASN1ObjectIdentifier type) {
        ASN1Encodable value = first(table, type);
        return value instanceof ASN1OctetString octets ? octets.getOctets() : null;
    }

    private static ASN1Encodable first(AttributeTable table, ASN1ObjectIdentifier type) {
        if (table == null) {
            return null;
        }
        Attribute attribute = table.get(type);
        return attribute == null || attribute.getAttrValues().size() == 0 ? null : attribute.getAttrValues().getObjectAt(0);
    }

    private static String challengePassword(PKCS10CertificationRequest csr) {
        for (org.bouncycastle.asn1.pkcs.Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword)) {
            if (attribute.getAttrValues().size() > 0 && attribute.getAttrValues().getObjectAt(0) instanceof ASN1String string) {
                return string.getString();
            }
        }
        return null;
    }

    private static boolean sameKey(X509Certificate certificate, PKCS10CertificationRequest csr) throws Refused {
        try {
            return java.util.Arrays.equals(certificate.getPublicKey().getEncoded(), csr.getSubjectPublicKeyInfo().getEncoded("DER"));
        } catch (java.io.IOException e) {
            throw new Refused(FailInfo.BAD_REQUEST, "the request's public key cannot be encoded: " + e.getMessage());
        }
    }

    private static String name(String messageType) {
        return switch (messageType) {
            case PKCS_REQ -> "PKCSReq";
            case RENEWAL_REQ -> "RenewalReq";
            case "20" -> "CertPoll";
            case "21" -> "GetCert";
            case "22" -> "GetCRL";
            default -> "messageType " + messageType;
        };
    }

}
