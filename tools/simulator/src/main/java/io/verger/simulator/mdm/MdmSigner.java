package io.verger.simulator.mdm;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs message bodies as a device does for {@code Mdm-Signature}: base64 of a detached CMS SignedData over the
 * exact body bytes, signed with the device identity and carrying its certificate. One per device; the signature
 * covers only the body, so a signed request can be replayed (which is what the load driver relies on).
 */
public final class MdmSigner {

    private final PrivateKey key;
    private final X509Certificate certificate;

    public MdmSigner(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    public String sign(byte[] body) {
        try {
            String alg = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            SignerInfoGenerator sig = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder(alg).build(key), certificate);
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(sig);
            gen.addCertificates(new JcaCertStore(List.of(certificate)));
            return Base64.getEncoder().encodeToString(gen.generate(new CMSProcessableByteArray(body), false).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign for " + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }
}
