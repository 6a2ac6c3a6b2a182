package io.verger.simulator.enroll;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import io.verger.simulator.fleet.DeviceCa;

/**
 * A SCEP CA for the tests, written from RFC 8894 independently of the client code: it opens a PKCSReq (checks the
 * signature, reads the attributes, decrypts the CSR) and answers CertReps, correct or deliberately wrong.
 */
final class TestScepCa {

    final X509Certificate certificate;
    final PrivateKey key;

    /** What a PKCSReq held. */
    record Opened(String messageType, String transactionId, byte[] senderNonce, X509Certificate signer, PKCS10CertificationRequest csr,
            String cipherOid) {
    }

    TestScepCa(String name) throws Exception {
        KeyPair kp = DeviceCa.rsa(2048);
        X500Name dn = new X500Name("CN=" + name);
        Instant now = Instant.now();
        this.certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(dn, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), dn, kp.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
        this.key = kp.getPrivate();
    }

    Opened open(byte[] pkiMessage) throws Exception {
        CMSSignedData signed = new CMSSignedData(pkiMessage);
        SignerInformation si = signed.getSignerInfos().getSigners().iterator().next();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> certs = signed.getCertificates().getMatches(si.getSID());
        X509Certificate signer = new JcaX509CertificateConverter().getCertificate(certs.iterator().next());
        if (!si.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signer))) {
            throw new AssertionError("PKCSReq signature does not verify");
        }
        AttributeTable a = si.getSignedAttributes();
        CMSEnvelopedData env = new CMSEnvelopedData((byte[]) signed.getSignedContent().getContent());
        byte[] csr = env.getRecipientInfos().getRecipients().iterator().next().getContent(new JceKeyTransEnvelopedRecipient(key));
        return new Opened(ScepMessages.printable(a, ScepMessages.MESSAGE_TYPE), ScepMessages.printable(a, ScepMessages.TRANSACTION_ID),
                ScepMessages.octets(a, ScepMessages.SENDER_NONCE), signer, new PKCS10CertificationRequest(csr), env.getEncryptionAlgOID());
    }

    X509Certificate issue(PKCS10CertificationRequest csr) throws Exception {
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new X509v3CertificateBuilder(
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), BigInteger.valueOf(System.nanoTime()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), csr.getSubject(), csr.getSubjectPublicKeyInfo())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }

    /** A CertRep for {@code req}: status "0" with {@code issued} enveloped to the requester, or "2"/"3" without content. */
    byte[] certRep(Opened req, String status, String failInfo, X509Certificate issued, byte[] recipientNonce, X509Certificate signWith,
            PrivateKey signKey) throws Exception {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new Attribute(ScepMessages.MESSAGE_TYPE, new DERSet(new DERPrintableString(ScepMessages.CERT_REP))));
        v.add(new Attribute(ScepMessages.PKI_STATUS, new DERSet(new DERPrintableString(status))));
        if (failInfo != null) {
            v.add(new Attribute(ScepMessages.FAIL_INFO, new DERSet(new DERPrintableString(failInfo))));
        }
        v.add(new Attribute(ScepMessages.TRANSACTION_ID, new DERSet(new DERPrintableString(req.transactionId()))));
        v.add(new Attribute(ScepMessages.SENDER_NONCE, new DERSet(new DEROctetString(new byte[16]))));
        v.add(new Attribute(ScepMessages.RECIPIENT_NONCE, new DERSet(new DEROctetString(recipientNonce))));
        CMSTypedData content = new CMSAbsentContent();
        boolean encapsulate = false;
        if (issued != null) {
            CMSSignedDataGenerator certsOnly = new CMSSignedDataGenerator();
            certsOnly.addCertificates(new JcaCertStore(List.of(issued, certificate)));
            byte[] degenerate = certsOnly.generate(new CMSAbsentContent()).getEncoded("DER");
            CMSEnvelopedDataGenerator env = new CMSEnvelopedDataGenerator();
            env.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(req.signer()));
            content = new CMSProcessableByteArray(env.generate(new CMSProcessableByteArray(degenerate),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES128_CBC).build()).getEncoded());
            encapsulate = true;
        }
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(v)))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(signKey), signWith));
        g.addCertificates(new JcaCertStore(List.of(signWith)));
        return g.generate(content, encapsulate).getEncoded("DER");
    }

    byte[] certRep(Opened req, String status, String failInfo, X509Certificate issued) throws Exception {
        return certRep(req, status, failInfo, issued, req.senderNonce(), certificate, key);
    }
}
