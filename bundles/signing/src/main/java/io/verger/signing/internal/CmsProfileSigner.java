package io.verger.signing.internal;

import io.verger.api.signing.ProfileSigner;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Signs profiles as attached CMS SignedData (DER, SHA-256, signer certificate and chain included),
 * what devices and {@code openssl cms -verify} accept as a signed {@code .mobileconfig}.
 */
@Component(service = ProfileSigner.class, configurationPid = SigningConfiguration.PID)
@Designate(ocd = SigningConfiguration.class)
public class CmsProfileSigner implements ProfileSigner {

    static final String TLS_KEYSTORE = "org.apache.felix.https.keystore";
    static final String TLS_KEYSTORE_PASSWORD = "org.apache.felix.https.keystore.password";
    static final String TLS_KEYSTORE_TYPE = "org.apache.felix.https.keystore.type";

    private static final Logger LOG = LoggerFactory.getLogger(CmsProfileSigner.class);

    private final Provider provider = new BouncyCastleProvider();
    private volatile SigningIdentity identity;

    @Activate
    @Modified
    void activate(BundleContext context, SigningConfiguration config) throws IOException, GeneralSecurityException {
        start(config, context::getProperty);
    }

    /** Activation without OSGi: {@code frameworkProperties} answers framework property names. */
    void start(SigningConfiguration config, Function<String, String> frameworkProperties) throws IOException, GeneralSecurityException {
        SigningIdentity loaded;
        if (!config.keystore().isBlank()) {
            loaded = SigningIdentity.fromPkcs12(Path.of(config.keystore().trim()), config._keystorePassword().toCharArray(), "PKCS12", provider);
            LOG.info("profiles are signed by {} from keystore {}", loaded.certificate().getSubjectX500Principal(), config.keystore());
        } else if (!config.certificate().isBlank() || !config.key().isBlank()) {
            if (config.certificate().isBlank() || config.key().isBlank()) {
                throw new IllegalArgumentException("configuration " + SigningConfiguration.PID
                        + " sets only one of certificate and key; a signing identity needs both (or keystore)");
            }
            loaded = SigningIdentity.fromPem(Path.of(config.certificate().trim()), Path.of(config.key().trim()), provider);
            LOG.info("profiles are signed by {} from {}", loaded.certificate().getSubjectX500Principal(), config.certificate());
        } else {
            String keystore = frameworkProperties.apply(TLS_KEYSTORE);
            if (keystore == null || keystore.isBlank()) {
                throw new IllegalStateException("no signing identity: configure certificate+key or keystore in " + SigningConfiguration.PID
                        + ", or run with a TLS keystore (framework property " + TLS_KEYSTORE + ")");
            }
            String password = frameworkProperties.apply(TLS_KEYSTORE_PASSWORD);
            loaded = SigningIdentity.fromPkcs12(Path.of(keystore), password == null ? new char[0] : password.toCharArray(),
                    frameworkProperties.apply(TLS_KEYSTORE_TYPE), provider);
            LOG.info("profiles are signed by the server's TLS identity {}", loaded.certificate().getSubjectX500Principal());
        }
        identity = loaded;
    }

    /** Construction without OSGi or files (tests). */
    void use(SigningIdentity signingIdentity) {
        identity = signingIdentity;
    }

    @Override
    public byte[] sign(byte[] profile) throws GeneralSecurityException {
        Objects.requireNonNull(profile, "profile");
        if (profile.length == 0) {
            throw new IllegalArgumentException("the profile to sign is empty");
        }
        SigningIdentity signer = current();
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            // digest and signature by the JDK's providers (the key is a JDK key, see SigningIdentity): BouncyCastle's RSA
            // computes a fresh blinding inverse for every signature (~50 µs more per profile), and its SHA-256 does not use
            // the CPU's SHA instructions
            JcaContentSignerBuilder contentSigner = new JcaContentSignerBuilder(signer.signatureAlgorithm());
            if (!SigningIdentity.isJdkKey(signer.key())) {
                contentSigner.setProvider(provider);
            }
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(contentSigner.build(signer.key()), signer.certificate()));
            generator.addCertificates(new JcaCertStore(signer.chain()));
            return generator.generate(new CMSProcessableByteArray(profile), true).getEncoded("DER");
        } catch (OperatorCreationException | CMSException | CertificateEncodingException | IOException e) {
            throw new GeneralSecurityException("cannot sign the profile with " + signer.certificate().getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<X509Certificate> signerCertificateChain() {
        return current().chain();
    }

    private SigningIdentity current() {
        SigningIdentity current = identity;
        if (current == null) {
            throw new IllegalStateException("the profile signer is not active");
        }
        return current;
    }
}
