package io.verger.core.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.verger.api.storage.PushCertStore;
import io.verger.api.storage.PushCertificate;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * NanoMDM's {@code PUT /v1/pushcert} (also {@code /api/v1/pushcert}): the MDM push certificate and its unencrypted
 * private key as PEM (e.g. {@code cat push.pem push.key | curl -T - …}), or a PKCS#12 file
 * ({@code Content-Type: application/x-pkcs12}, password in {@code ?password=} or the {@code X-Pkcs12-Password}
 * header); the topic is the certificate's UID. Uploading a renewed certificate for a topic replaces the old one
 * for every node at once (it lives in the database). {@code GET} shows the stored certificates' topics and expiry,
 * with a warning from 30 days before expiry. Answers {@code {"topic", "not_after"}} like NanoMDM.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/v1/pushcert", "/api/v1/pushcert"})
public final class PushCertServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PushCertServlet.class);
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    static final int MAX_BYTES = 256 * 1024;
    static final long WARN_DAYS = 30;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushCertStore store;

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        upload(req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        upload(req, resp);
    }

    private void upload(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            PushCertStore s = requireStore();
            byte[] body = DeviceEndpointServlet.readBody(req, MAX_BYTES);
            PushCertificate cert = isPkcs12(req, body) ? parsePkcs12(body, password(req)) : parsePem(new String(body, StandardCharsets.US_ASCII));
            s.store(cert);
            LOG.info("Push certificate for topic {} stored (expires {})", cert.topic(), cert.notAfter());
            ApiJson.write(resp, 200, describe(cert));
        } catch (MdmException e) {
            LOG.warn("Push certificate upload refused: {}", e.getMessage());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("error", e.getMessage());
            ApiJson.write(resp, e.status(), out);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            List<PushCertificate> certs = requireStore().list();
            Map<String, Object> out = new LinkedHashMap<>();
            if (certs.isEmpty()) {
                out.put("error", "no push certificate uploaded");
                ApiJson.write(resp, 404, out);
                return;
            }
            List<Map<String, Object>> list = new ArrayList<>();
            certs.forEach(c -> list.add(describe(c)));
            PushCertificate first = certs.get(0);
            out.putAll(describe(first));
            out.put("certificates", list);
            ApiJson.write(resp, 200, out);
        } catch (MdmException e) {
            ApiJson.error(resp, e.status(), e.getMessage());
        }
    }

    private PushCertStore requireStore() {
        PushCertStore s = store;
        if (s == null) {
            throw MdmException.unavailable("no PushCertStore installed (storage module missing)");
        }
        return s;
    }

    private static boolean isPkcs12(HttpServletRequest req, byte[] body) {
        String ct = req.getContentType();
        if (ct != null && (ct.startsWith("application/x-pkcs12") || ct.startsWith("application/pkcs12"))) {
            return true;
        }
        // DER (a SEQUENCE) rather than PEM text
        return body.length > 0 && body[0] == 0x30;
    }

    private static String password(HttpServletRequest req) {
        String p = req.getHeader("X-Pkcs12-Password");
        if (p == null) {
            p = req.getParameter("password");
        }
        return p == null ? "" : p;
    }

    /** A PKCS#12 file with exactly one key entry (the push certificate, its chain and key). */
    static PushCertificate parsePkcs12(byte[] body, String password) {
        java.security.KeyStore ks;
        try {
            ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(new java.io.ByteArrayInputStream(body), password.toCharArray());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw MdmException.badRequest("cannot open the PKCS#12 file (wrong password, or not PKCS#12): " + e.getMessage());
        }
        try {
            String alias = null;
            for (String a : java.util.Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(a)) {
                    if (alias != null) {
                        throw MdmException.badRequest("the PKCS#12 file holds more than one key; export only the push certificate");
                    }
                    alias = a;
                }
            }
            if (alias == null) {
                throw MdmException.badRequest("the PKCS#12 file holds no private key");
            }
            PrivateKey key = (PrivateKey) ks.getKey(alias, password.toCharArray());
            List<X509Certificate> chain = new ArrayList<>();
            for (java.security.cert.Certificate c : ks.getCertificateChain(alias)) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty() || !matches(key, chain.get(0).getPublicKey())) {
                throw MdmException.badRequest("the private key does not belong to the certificate");
            }
            return new PushCertificate(topic(chain.get(0)), chain, key);
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw MdmException.badRequest("unusable PKCS#12 push certificate: " + e.getMessage());
        }
    }

    static Map<String, Object> describe(PushCertificate c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("topic", c.topic());
        out.put("not_after", c.notAfter().toString());
        long days = ChronoUnit.DAYS.between(Instant.now(), c.notAfter());
        if (days < 0) {
            out.put("warning", "expired; devices can no longer be pushed: renew it at Apple's Push Certificates Portal");
        } else if (days <= WARN_DAYS) {
            out.put("warning", "expires in " + days + " day(s): renew it at Apple's Push Certificates Portal");
        }
        return out;
    }

    /** PEM certificate (chain) and unencrypted private key, in any order; checked to be a matching pair. */
    static PushCertificate parsePem(String pem) {
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        PublicKey keyPublic = null;
        // tolerate blocks glued together without a newline, as NanoMDM does
        String text = pem.replace("----------", "-----\n-----");
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter().setProvider(BC);
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(new JcaX509CertificateConverter().setProvider(BC).getCertificate(h));
                } else if (o instanceof PEMKeyPair kp) {
                    key = conv.getKeyPair(kp).getPrivate();
                    keyPublic = conv.getKeyPair(kp).getPublic();
                } else if (o instanceof PrivateKeyInfo info) {
                    key = conv.getPrivateKey(info);
                } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw MdmException.badRequest("the private key is encrypted; upload it unencrypted (openssl rsa -in key.pem -out plain.pem)");
                } else {
                    throw MdmException.badRequest("unexpected PEM block " + o.getClass().getSimpleName() + "; expected CERTIFICATE and PRIVATE KEY");
                }
            }
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            if (e instanceof MdmException m) {
                throw m;
            }
            throw MdmException.badRequest("not a PEM certificate and key: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw MdmException.badRequest("no CERTIFICATE PEM block in the body");
        }
        if (key == null) {
            throw MdmException.badRequest("no PRIVATE KEY PEM block in the body");
        }
        X509Certificate cert = chain.get(0);
        if (keyPublic != null && !keyPublic.equals(cert.getPublicKey())) {
            throw MdmException.badRequest("the private key does not belong to the certificate");
        }
        if (keyPublic == null && !matches(key, cert.getPublicKey())) {
            throw MdmException.badRequest("the private key does not belong to the certificate");
        }
        String topic = topic(cert);
        try {
            return new PushCertificate(topic, chain, key);
        } catch (IllegalArgumentException e) {
            throw MdmException.badRequest(e.getMessage());
        }
    }

    static String topic(X509Certificate cert) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] uids = subject.getRDNs(BCStyle.UID);
        if (uids.length == 0) {
            throw MdmException.badRequest("the certificate's subject has no UID, so it is not an MDM push certificate");
        }
        ASN1Encodable value = uids[0].getFirst().getValue();
        String topic = IETFUtils.valueToString(value);
        if (!topic.startsWith("com.apple.mgmt.")) {
            LOG.warn("Push certificate topic {} does not start with com.apple.mgmt.; is it an MDM push certificate?", topic);
        }
        return topic;
    }

    private static boolean matches(PrivateKey key, PublicKey pub) {
        try {
            String alg = pub.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            java.security.Signature s = java.security.Signature.getInstance(alg);
            s.initSign(key);
            byte[] probe = "verger push certificate check".getBytes(StandardCharsets.US_ASCII);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(pub);
            s.update(probe);
            return s.verify(sig);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }
}
