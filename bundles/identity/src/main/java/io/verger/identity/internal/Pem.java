package io.verger.identity.internal;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reading and writing the PEM files of CA certificates and keys. */
final class Pem {

    private Pem() {
    }

    /**
     * @return the certificates of a PEM file, in file order; other PEM objects are skipped
     * @throws IOException if the file cannot be read or a certificate cannot be parsed; the message names the file
     */
    static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(toX509(holder.getEncoded()));
                }
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IOException("cannot parse a certificate in " + file + ": " + e.getMessage(), e);
        }
        return certificates;
    }

    /**
     * @return the only private key of an unencrypted PEM file (PKCS#8 or traditional RSA/EC)
     * @throws IOException if the file cannot be read, holds no key, or an encrypted one; the message names the file
     */
    static PrivateKey readPrivateKey(Path file, Provider provider) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(provider);
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                    throw new IOException("the private key in " + file
                            + " is encrypted; give an unencrypted PEM key (mode 600) or a PKCS#12 keystore with its password");
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot parse the private key in " + file + ": " + e.getMessage(), e);
        }
        throw new IOException("no private key found in " + file + " (expected a PEM 'PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY')");
    }

    /** @return the PEM text of certificates or keys */
    static String encode(Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }

    /** Parses DER with the platform's X.509 factory, so certificates do not depend on the BouncyCastle bundle's classes. */
    static X509Certificate toX509(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
