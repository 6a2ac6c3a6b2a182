package io.verger.signing.internal;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A signing key with its certificate chain (signer first), loaded from PEM or PKCS#12 and checked
 * to belong together.
 */
record SigningIdentity(PrivateKey key, List<X509Certificate> chain) {

    SigningIdentity {
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

    /** @return the JCA signature algorithm for the key: SHA-256 with RSA or ECDSA */
    String signatureAlgorithm() {
        return "EC".equals(certificate().getPublicKey().getAlgorithm()) || "ECDSA".equals(certificate().getPublicKey().getAlgorithm())
                ? "SHA256withECDSA" : "SHA256withRSA";
    }

    static SigningIdentity fromPem(Path certificateFile, Path keyFile, Provider provider) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        for (Path file : List.of(certificateFile, keyFile)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
                JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(provider);
                Object object;
                while ((object = parser.readObject()) != null) {
                    if (object instanceof X509CertificateHolder holder && file.equals(certificateFile)) {
                        chain.add(x509(holder.getEncoded()));
                    } else if (object instanceof PrivateKeyInfo info && key == null) {
                        key = converter.getPrivateKey(info);
                    } else if (object instanceof PEMKeyPair pair && key == null) {
                        key = converter.getPrivateKey(pair.getPrivateKeyInfo()); // an EC key may come without its public part
                    } else if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                        throw new IOException("the signing key in " + file + " is encrypted; give an unencrypted PEM key or a PKCS#12 keystore");
                    }
                }
            } catch (RuntimeException e) {
                throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
            }
        }
        if (chain.isEmpty()) {
            throw new IOException("no certificate found in " + certificateFile);
        }
        if (key == null) {
            throw new IOException("no private key found in " + keyFile);
        }
        return checked(new SigningIdentity(key, chain), certificateFile + " / " + keyFile, provider);
    }

    static SigningIdentity fromPkcs12(Path keystoreFile, char[] password, String type, Provider provider) throws IOException, GeneralSecurityException {
        KeyStore keystore = KeyStore.getInstance(type == null || type.isBlank() ? "PKCS12" : type);
        try (InputStream in = Files.newInputStream(keystoreFile)) {
            keystore.load(in, password);
        } catch (IOException e) {
            throw new IOException("cannot open keystore " + keystoreFile + " (wrong password or type?): " + e.getMessage(), e);
        }
        List<String> keyAliases = new ArrayList<>();
        for (String alias : Collections.list(keystore.aliases())) {
            if (keystore.isKeyEntry(alias)) {
                keyAliases.add(alias);
            }
        }
        if (keyAliases.size() != 1) {
            throw new IOException("keystore " + keystoreFile + " must hold exactly one private key entry, found " + keyAliases.size() + " " + keyAliases);
        }
        String alias = keyAliases.get(0);
        Key key = keystore.getKey(alias, password);
        Certificate[] certificates = keystore.getCertificateChain(alias);
        if (!(key instanceof PrivateKey privateKey) || certificates == null || certificates.length == 0) {
            throw new IOException("entry '" + alias + "' of " + keystoreFile + " has no private key with a certificate chain");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate certificate : certificates) {
            chain.add(x509(certificate.getEncoded()));
        }
        return checked(new SigningIdentity(privateKey, chain), keystoreFile.toString(), provider);
    }

    /** Refuses a key that does not belong to the certificate: every profile signed with it would be rejected by devices. */
    static SigningIdentity checked(SigningIdentity identity, String source, Provider provider) throws GeneralSecurityException {
        byte[] probe = "verger-signing-key-check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(identity.signatureAlgorithm(), provider);
        signer.initSign(identity.key());
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(identity.signatureAlgorithm(), provider);
        verifier.initVerify(identity.certificate().getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the private key in " + source + " does not belong to the signing certificate "
                    + identity.certificate().getSubjectX500Principal());
        }
        return identity;
    }

    static X509Certificate x509(byte[] der) throws java.security.cert.CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
