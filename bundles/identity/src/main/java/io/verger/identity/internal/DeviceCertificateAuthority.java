package io.verger.identity.internal;

import io.verger.api.identity.CertificateAuthority;
import io.verger.api.identity.CertificateFingerprint;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The device CA: issues device identity certificates (TLS client authentication, digital
 * signature) for RSA (2048 bits or more) and ECDSA P-256/P-384 keys. Its key is generated on first
 * activation under {@code <verger.data>/identity/} and reused afterwards, or is the operator's,
 * from PEM or PKCS#12 files named in the configuration.
 */
@Component(service = {CertificateAuthority.class, ScepAuthority.class}, configurationPid = IdentityConfiguration.PID)
@Designate(ocd = IdentityConfiguration.class)
public class DeviceCertificateAuthority implements CertificateAuthority, ScepAuthority {

    /** Framework property naming the data directory; the built-in CA lives in its {@code identity} folder. */
    static final String DATA_PROPERTY = "verger.data";
    static final String GENERATED_CA_NAME = "Verger Device CA";
    static final int MIN_RSA_BITS = 2048;
    static final int MAX_RSA_BITS = 16384;
    /** Accepted so that a device whose clock is a little behind ours can use its certificate at once. */
    static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCertificateAuthority.class);
    private static final Map<ASN1ObjectIdentifier, String> ACCEPTED_CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384");

    private final Provider provider = BouncyCastle.PROVIDER;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private volatile CaCredentials credentials;
    private volatile Duration maxValidity;

    public DeviceCertificateAuthority() {
        this(Clock.systemUTC());
    }

    DeviceCertificateAuthority(Clock clock) {
        this.clock = clock;
    }

    @Activate
    void activate(BundleContext context, IdentityConfiguration config) throws Exception {
        start(config, context::getProperty);
    }

    /** Activation without OSGi: {@code frameworkProperties} answers framework property names. */
    void start(IdentityConfiguration config, Function<String, String> frameworkProperties) throws Exception {
        if (config.certificateValidityDays() < 1) {
            throw new IllegalArgumentException("certificateValidityDays must be at least 1, is " + config.certificateValidityDays());
        }
        maxValidity = Duration.ofDays(config.certificateValidityDays());
        CaCredentials loaded;
        if (!config.caKeystore().isBlank()) {
            loaded = CaCredentials.fromPkcs12(Path.of(config.caKeystore().trim()), config._caKeystorePassword().toCharArray(), provider);
            LOG.info("device CA {} loaded from PKCS#12 keystore {}", loaded.certificate().getSubjectX500Principal(), config.caKeystore());
        } else if (!config.caCertificate().isBlank() || !config.caKey().isBlank()) {
            if (config.caCertificate().isBlank() || config.caKey().isBlank()) {
                throw new IllegalArgumentException("configuration " + IdentityConfiguration.PID
                        + " sets only one of caCertificate and caKey; an operator CA needs both (or caKeystore)");
            }
            loaded = CaCredentials.fromPem(Path.of(config.caCertificate().trim()), Path.of(config.caKey().trim()), provider);
            LOG.info("device CA {} loaded from {}", loaded.certificate().getSubjectX500Principal(), config.caCertificate());
        } else {
            String data = frameworkProperties.apply(DATA_PROPERTY);
            if (data == null || data.isBlank()) {
                throw new IllegalStateException("framework property " + DATA_PROPERTY + " (the data directory) is not set, so the "
                        + "built-in device CA has nowhere to live; set it, or configure an operator CA in " + IdentityConfiguration.PID);
            }
            Path directory = Path.of(data, "identity");
            loaded = CaCredentials.loadOrGenerate(directory, GENERATED_CA_NAME, provider);
            LOG.info("device CA {} (SHA-256 {}) in {}", loaded.certificate().getSubjectX500Principal(),
                    CertificateFingerprint.of(loaded.certificate()), directory);
        }
        Instant notAfter = loaded.certificate().getNotAfter().toInstant();
        if (notAfter.isBefore(clock.instant())) {
            LOG.error("the device CA certificate {} expired on {}; devices cannot enroll", loaded.certificate().getSubjectX500Principal(), notAfter);
        } else if (notAfter.isBefore(clock.instant().plus(maxValidity))) {
            LOG.warn("the device CA certificate {} expires on {}: identities it issues are cut short to that date",
                    loaded.certificate().getSubjectX500Principal(), notAfter);
        }
        credentials = loaded;
    }

    @Override
    public List<X509Certificate> certificateChain() {
        return credentials().chain();
    }

    @Override
    public java.security.PrivateKey privateKey() {
        return credentials().key();
    }

    /** @return the validity the CA gives identities by default, and the longest it issues */
    @Override
    public Duration defaultValidity() {
        return maxValidity;
    }

    @Override
    public X509Certificate issue(byte[] csr, Duration validity) throws CertificateException {
        Objects.requireNonNull(csr, "csr");
        Objects.requireNonNull(validity, "validity");
        if (validity.isZero() || validity.isNegative()) {
            throw new IllegalArgumentException("validity must be positive, is " + validity);
        }
        CaCredentials ca = credentials();
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(csr);
        } catch (Exception e) {
            throw new CertificateException("the certificate signing request is not a DER-encoded PKCS#10 CertificationRequest: " + e.getMessage(), e);
        }
        SubjectPublicKeyInfo keyInfo = request.getSubjectPublicKeyInfo();
        String keyDescription = checkKey(keyInfo, request.getSubject());
        try {
            // the JDK's provider: BouncyCastle's re-validates an RSA modulus (Miller-Rabin) every time it builds a key
            java.security.PublicKey publicKey = java.security.KeyFactory.getInstance(keyDescription.startsWith("RSA") ? "RSA" : "EC")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(keyInfo.getEncoded()));
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
                throw new CertificateException("the signature of the certificate signing request for " + request.getSubject()
                        + " does not verify with its " + keyDescription + " key: the requester has not proven it holds the key");
            }
        } catch (CertificateException e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateException("cannot verify the signature of the certificate signing request for " + request.getSubject()
                    + " (" + keyDescription + ", signature algorithm " + request.getSignatureAlgorithm().getAlgorithm() + "): " + e.getMessage(), e);
        }

        Instant now = clock.instant();
        Instant notAfter = now.plus(validity.compareTo(maxValidity) > 0 ? maxValidity : validity);
        Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        if (!notAfter.isAfter(now)) {
            throw new CertificateException("the device CA certificate " + ca.certificate().getSubjectX500Principal()
                    + " expired on " + caNotAfter + "; it cannot issue identities");
        }
        X500Name subject = request.getSubject();
        if (subject.getRDNs().length == 0) {
            subject = new X500Name("CN=device-" + HexFormat.of().formatHex(sha256(keyInfo)).substring(0, 16));
        }
        boolean rsa = PKCSObjectIdentifiers.rsaEncryption.equals(keyInfo.getAlgorithm().getAlgorithm());
        try {
            JcaX509ExtensionUtils extensionUtils = new JcaX509ExtensionUtils();
            X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serialNumber(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), subject, keyInfo)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(rsa ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensionUtils.createSubjectKeyIdentifier(keyInfo))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensionUtils.createAuthorityKeyIdentifier(ca.certificate()));
            Extension subjectAltName = requestedSubjectAltName(request);
            if (subjectAltName != null) {
                builder.addExtension(Extension.subjectAlternativeName, subjectAltName.isCritical(), subjectAltName.getParsedValue());
            }
            // signed by the JDK's providers (the key is a JDK key, see CaCredentials): BouncyCastle's RSA computes a fresh
            // blinding inverse for every signature, ~50 µs more per certificate issued than the JDK's
            JcaContentSignerBuilder signer = new JcaContentSignerBuilder(ca.signatureAlgorithm());
            if (!CaCredentials.isJdkKey(ca.key())) {
                signer.setProvider(provider);
            }
            X509Certificate issued = Pem.toX509(builder.build(signer.build(ca.key())).getEncoded());
            LOG.info("issued device identity {} serial {} ({}) valid until {}", issued.getSubjectX500Principal(),
                    issued.getSerialNumber().toString(16), keyDescription, notAfter);
            return issued;
        } catch (CertificateException e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateException("the device CA failed to issue a certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private CaCredentials credentials() {
        CaCredentials current = credentials;
        if (current == null) {
            throw new IllegalStateException("the device CA is not active");
        }
        return current;
    }

    /** @return a description of an accepted key, e.g. "RSA 2048"; throws for any other key */
    private static String checkKey(SubjectPublicKeyInfo keyInfo, X500Name subject) throws CertificateException {
        AlgorithmIdentifier algorithm = keyInfo.getAlgorithm();
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            int bits;
            try {
                bits = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(keyInfo.parsePublicKey()).getModulus().bitLength();
            } catch (Exception e) {
                throw new CertificateException("the RSA public key of the certificate signing request for " + subject + " cannot be parsed", e);
            }
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw new CertificateException("the certificate signing request for " + subject + " has an RSA key of " + bits
                        + " bits; the device CA accepts RSA keys of " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits, or EC P-256/P-384");
            }
            return "RSA " + bits;
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            Object parameters = algorithm.getParameters();
            String curve = parameters instanceof ASN1ObjectIdentifier named ? ACCEPTED_CURVES.get(named) : null;
            if (curve == null) {
                String given = parameters instanceof ASN1ObjectIdentifier named ? "curve " + named.getId()
                        + (SECObjectIdentifiers.secp521r1.equals(named) ? " (P-521)" : "") : "explicit or missing curve parameters";
                throw new CertificateException("the certificate signing request for " + subject + " has an EC key on " + given
                        + "; the device CA accepts EC keys on P-256 or P-384 only, or RSA of at least " + MIN_RSA_BITS + " bits");
            }
            return "EC " + curve;
        }
        throw new CertificateException("the certificate signing request for " + subject + " has a key of algorithm " + oid.getId()
                + "; the device CA accepts RSA (at least " + MIN_RSA_BITS + " bits) and EC P-256/P-384 keys only");
    }

    /** @return the subjectAltName the request asks for in its extensionRequest attribute, or null */
    private static Extension requestedSubjectAltName(PKCS10CertificationRequest request) {
        for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            if (attribute.getAttrValues().size() > 0) {
                Extension extension = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0)).getExtension(Extension.subjectAlternativeName);
                if (extension != null) {
                    return extension;
                }
            }
        }
        return null;
    }

    /** A random positive 127-bit serial: unique across nodes without coordination. */
    private BigInteger serialNumber() {
        BigInteger serial;
        do {
            serial = new BigInteger(127, random);
        } while (serial.bitLength() < 64);
        return serial;
    }

    private static byte[] sha256(SubjectPublicKeyInfo keyInfo) throws CertificateException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(keyInfo.getEncoded());
        } catch (Exception e) {
            throw new CertificateException("cannot digest the request's public key", e);
        }
    }
}
