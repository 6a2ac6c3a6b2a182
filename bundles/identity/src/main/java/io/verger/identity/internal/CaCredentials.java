package io.verger.identity.internal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;

/**
 * The CA's private key and its certificate chain (issuing CA first), from the built-in CA files or
 * the operator's PEM or PKCS#12 files; always checked to be a CA whose key matches its certificate.
 */
record CaCredentials(PrivateKey key, List<X509Certificate> chain) {

    static final String CERTIFICATE_FILE = "ca.crt";
    static final String KEY_FILE = "ca.key";
    static final int GENERATED_KEY_BITS = 3072;
    static final Duration GENERATED_VALIDITY = Duration.ofDays(3653);

    CaCredentials {
        key = jdkKey(key);
        chain = List.copyOf(chain);
    }

    /**
     * The key as one of the JDK's own key objects where the JDK can hold it (RSA, EC), so that signing runs on the JDK's
     * providers; keys loaded through BouncyCastle are BouncyCastle objects, which the JDK's EC signature refuses.
     * Any other key is kept as it is and signs with BouncyCastle.
     */
    static PrivateKey jdkKey(PrivateKey key) {
        if (key == null || isJdkKey(key) || !"PKCS#8".equals(key.getFormat()) || key.getEncoded() == null) {
            return key;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "RSA";
            case "EC", "ECDSA" -> "EC";
            default -> null;
        };
        if (algorithm == null) {
            return key;
        }
        try {
            return java.security.KeyFactory.getInstance(algorithm).generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }

    /** Whether the key is one of the JDK's own key objects. */
    static boolean isJdkKey(PrivateKey key) {
        return key.getClass().getName().startsWith("sun.security.");
    }

    X509Certificate certificate() {
        return chain.get(0);
    }

    /** @return the JCA signature algorithm this CA signs with */
    String signatureAlgorithm() {
        if (key instanceof ECKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        return "SHA256withRSA";
    }

    /**
     * Loads the built-in CA from {@code directory}, or generates it there on first use: an RSA
     * 3072 key ({@value #KEY_FILE}, PKCS#8 PEM, mode 600) and a self-signed, ten-year CA certificate
     * ({@value #CERTIFICATE_FILE}, PEM). The certificate is written last, so its presence means the CA is complete.
     *
     * @param commonName the subject CN of a newly generated CA
     */
    static CaCredentials loadOrGenerate(Path directory, String commonName, Provider provider) throws IOException, GeneralSecurityException {
        Path certificateFile = directory.resolve(CERTIFICATE_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        boolean hasCertificate = Files.exists(certificateFile);
        boolean hasKey = Files.exists(keyFile);
        if (hasCertificate && hasKey) {
            return fromPem(certificateFile, keyFile, provider);
        }
        if (hasCertificate || hasKey) {
            throw new IOException("the device CA in " + directory + " is incomplete: " + (hasKey ? keyFile : certificateFile)
                    + " exists but " + (hasKey ? certificateFile : keyFile) + " does not; restore the missing file, "
                    + "or remove both to generate a new CA (devices enrolled with the old one will then be refused)");
        }
        Files.createDirectories(directory);
        CaCredentials generated = generate(commonName, provider);
        writeAtomically(keyFile, Pem.encode(new JcaPKCS8Generator(generated.key(), null)), true);
        try {
            writeAtomically(certificateFile, Pem.encode(generated.certificate()), false);
        } catch (FileAlreadyExistsException e) {
            // another process generated the CA at the same moment: use the one that won
            throw new IOException("the device CA in " + directory + " was created concurrently by another process; restart to load it", e);
        }
        return generated;
    }

    static CaCredentials generate(String commonName, Provider provider) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", provider);
        generator.initialize(GENERATED_KEY_BITS, new SecureRandom());
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, new SecureRandom()).setBit(0),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(GENERATED_VALIDITY)), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").setProvider(provider).build(pair.getPrivate());
            return new CaCredentials(pair.getPrivate(), List.of(Pem.toX509(builder.build(signer).getEncoded())));
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build the device CA certificate: " + e.getMessage(), e);
        }
    }

    /** The operator's CA from a PEM certificate file (issuing CA first, then its issuers) and a PEM key file. */
    static CaCredentials fromPem(Path certificateFile, Path keyFile, Provider provider) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = Pem.readCertificates(certificateFile);
        if (chain.isEmpty()) {
            throw new IOException("no certificate found in " + certificateFile);
        }
        return checked(new CaCredentials(Pem.readPrivateKey(keyFile, provider), chain), certificateFile + " / " + keyFile, provider);
    }

    /** The operator's CA from a PKCS#12 file holding exactly one private key entry and its chain. */
    static CaCredentials fromPkcs12(Path keystoreFile, char[] password, Provider provider) throws IOException, GeneralSecurityException {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystoreFile)) {
            keystore.load(in, password);
        } catch (IOException e) {
            throw new IOException("cannot open PKCS#12 keystore " + keystoreFile + " (wrong password or not PKCS#12?): " + e.getMessage(), e);
        }
        List<String> keyAliases = new ArrayList<>();
        for (String alias : Collections.list(keystore.aliases())) {
            if (keystore.isKeyEntry(alias)) {
                keyAliases.add(alias);
            }
        }
        if (keyAliases.size() != 1) {
            throw new IOException("PKCS#12 keystore " + keystoreFile + " must hold exactly one private key entry, found "
                    + keyAliases.size() + " " + keyAliases);
        }
        String alias = keyAliases.get(0);
        Key key = keystore.getKey(alias, password);
        Certificate[] certificates = keystore.getCertificateChain(alias);
        if (!(key instanceof PrivateKey privateKey) || certificates == null || certificates.length == 0) {
            throw new IOException("entry '" + alias + "' of " + keystoreFile + " has no private key with a certificate chain");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate certificate : certificates) {
            chain.add(Pem.toX509(certificate.getEncoded()));
        }
        return checked(new CaCredentials(privateKey, chain), keystoreFile.toString(), provider);
    }

    /** Refuses a certificate that is not a CA, or a key that does not belong to it. */
    static CaCredentials checked(CaCredentials credentials, String source, Provider provider) throws GeneralSecurityException {
        X509Certificate ca = credentials.certificate();
        if (ca.getBasicConstraints() < 0) {
            throw new GeneralSecurityException("the CA certificate " + ca.getSubjectX500Principal() + " in " + source
                    + " is not a CA (basicConstraints cA is not true)");
        }
        boolean[] keyUsage = ca.getKeyUsage();
        if (keyUsage != null && !keyUsage[5]) {
            throw new GeneralSecurityException("the CA certificate " + ca.getSubjectX500Principal() + " in " + source
                    + " may not sign certificates (keyUsage lacks keyCertSign)");
        }
        if (!keyMatches(credentials.key(), ca.getPublicKey(), credentials.signatureAlgorithm(), provider)) {
            throw new GeneralSecurityException("the private key in " + source + " does not belong to the CA certificate "
                    + ca.getSubjectX500Principal());
        }
        return credentials;
    }

    private static boolean keyMatches(PrivateKey key, PublicKey publicKey, String algorithm, Provider provider) {
        try {
            byte[] probe = "verger-ca-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm, provider);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, provider);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Writes to a temporary file in the same directory, then moves it into place without replacing an existing file. */
    private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
        Path directory = file.getParent();
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class);
        Path temporary = posix
                ? Files.createTempFile(directory, file.getFileName() + ".", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")))
                : Files.createTempFile(directory, file.getFileName() + ".", ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            try {
                // a link-then-delete would refuse an existing file; ATOMIC_MOVE may replace it, so check first
                if (Files.exists(file)) {
                    throw new FileAlreadyExistsException(file.toString());
                }
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
