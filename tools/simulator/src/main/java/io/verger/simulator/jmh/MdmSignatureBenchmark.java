package io.verger.simulator.jmh;

import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.Selector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.mdm.MdmSigner;

/**
 * Mdm-Signature verification as the identity bundle does it (BouncyCastle CMS: parse the detached SignedData, find
 * the signer's certificate among those carried, verify the signature over the body), and, for scale, signing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MdmSignatureBenchmark {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    byte[] body;
    byte[] signature;
    String signatureBase64;
    MdmSigner signer;
    X509Certificate certificate;

    @Setup
    public void setup() throws Exception {
        EnrolledDevice d = Fixtures.device();
        body = Fixtures.PLIST.encodeXml(Fixtures.idle(d));
        certificate = d.certificate();
        signer = new MdmSigner(d.privateKey(), certificate);
        signatureBase64 = signer.sign(body);
        signature = Base64.getDecoder().decode(signatureBase64);
    }

    @Benchmark
    @SuppressWarnings("unchecked")
    public boolean verifyWithBouncyCastle() throws Exception {
        byte[] der = Base64.getDecoder().decode(signatureBase64);
        CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(body), ContentInfo.getInstance(ASN1Primitive.fromByteArray(der)));
        SignerInformation si = signed.getSignerInfos().getSigners().iterator().next();
        Collection<X509CertificateHolder> certs = signed.getCertificates().getMatches((Selector<X509CertificateHolder>) si.getSID());
        return si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(certs.iterator().next()));
    }

    @Benchmark
    public boolean verifyWithJdkProvider() throws Exception {
        CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(body), signature);
        SignerInformation si = signed.getSignerInfos().getSigners().iterator().next();
        return si.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate));
    }

    @Benchmark
    public String signLikeADevice() {
        return signer.sign(body);
    }
}
