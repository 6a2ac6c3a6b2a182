package io.verger.identity.internal;

import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

import javax.security.auth.x500.X500Principal;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * A device identity made by the server, for sites that cannot use SCEP: a fresh RSA 2048 key, a
 * certificate from the device CA, packed as PKCS#12 with 3DES and a SHA-1 MAC, which every Apple
 * OS version opens.
 */
final class Pkcs12Identity {

    private Pkcs12Identity() {
    }

    static EnrollmentProfile.Pkcs12 issue(ScepAuthority ca, String subject, Provider provider, SecureRandom random) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", provider);
        generator.initialize(2048, random);
        KeyPair keys = generator.generateKeyPair();
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(provider).build(keys.getPrivate())).getEncoded();
        X509Certificate certificate = ca.issue(csr, ca.defaultValidity());

        byte[] passwordBytes = new byte[18];
        random.nextBytes(passwordBytes);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(passwordBytes).toCharArray();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        JcaPKCS12SafeBagBuilder certificateBag = new JcaPKCS12SafeBagBuilder(certificate);
        certificateBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("device identity"));
        certificateBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        OutputEncryptor keyEncryptor = new JcePKCSPBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                .setProvider(provider).build(password);
        JcaPKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(keys.getPrivate(), keyEncryptor);
        keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("device identity"));
        keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
        pfx.addEncryptedData(new JcePKCSPBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                .setProvider(provider).build(password), new PKCS12SafeBag[] {certificateBag.build()});
        pfx.addData(keyBag.build());
        byte[] pkcs12 = pfx.build(new JcePKCS12MacCalculatorBuilder().setProvider(provider), password).getEncoded("DER");
        return new EnrollmentProfile.Pkcs12(pkcs12, new String(password));
    }
}
