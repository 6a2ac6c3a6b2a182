package io.verger.core.internal;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.verger.api.identity.IdentitySource;
import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.IdentityVerifier;
import io.verger.api.identity.VerifiedIdentity;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Finds and verifies who sent a device request: the {@code Mdm-Signature} header (detached CMS over the body),
 * else the TLS client certificate, else — only from a trusted proxy address — the RFC 9440 {@code Client-Cert}
 * header (with {@code Client-Cert-Chain}).
 */
final class DeviceIdentities {

    static final String MDM_SIGNATURE = "Mdm-Signature";
    static final String CLIENT_CERT = "Client-Cert";
    static final String CLIENT_CERT_CHAIN = "Client-Cert-Chain";

    private final List<Cidr> trustedProxies;

    DeviceIdentities(List<String> trustedProxies) {
        List<Cidr> list = new ArrayList<>();
        for (String p : trustedProxies) {
            if (p != null && !p.isBlank()) {
                list.add(Cidr.parse(p.trim()));
            }
        }
        this.trustedProxies = List.copyOf(list);
    }

    VerifiedIdentity verify(HttpServletRequest req, byte[] body, IdentityVerifier verifier) throws IdentityVerificationException {
        String signature = req.getHeader(MDM_SIGNATURE);
        if (signature != null && !signature.isBlank()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(signature.trim());
            } catch (IllegalArgumentException e) {
                throw new IdentityVerificationException(IdentityVerificationException.Reason.MALFORMED, "Mdm-Signature is not base64");
            }
            return verifier.verifyMdmSignature(der, body);
        }
        Object attr = req.getAttribute("jakarta.servlet.request.X509Certificate");
        if (attr instanceof X509Certificate[] chain && chain.length > 0) {
            return verifier.verify(Arrays.asList(chain), IdentitySource.TLS_CLIENT_CERTIFICATE);
        }
        String clientCert = req.getHeader(CLIENT_CERT);
        if (clientCert != null && !clientCert.isBlank()) {
            if (!fromTrustedProxy(req.getRemoteAddr())) {
                throw new IdentityVerificationException(IdentityVerificationException.Reason.UNTRUSTED,
                        "Client-Cert header from " + req.getRemoteAddr() + ", which is not a trusted proxy");
            }
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(parseByteSequence(clientCert));
            String rest = req.getHeader(CLIENT_CERT_CHAIN);
            if (rest != null && !rest.isBlank()) {
                for (String item : rest.split(",")) {
                    chain.add(parseByteSequence(item));
                }
            }
            return verifier.verify(chain, IdentitySource.CLIENT_CERT_HEADER);
        }
        throw new IdentityVerificationException(IdentityVerificationException.Reason.MISSING,
                "no Mdm-Signature header and no client certificate");
    }

    boolean fromTrustedProxy(String remoteAddr) {
        if (trustedProxies.isEmpty() || remoteAddr == null) {
            return false;
        }
        byte[] addr;
        try {
            addr = InetAddress.getByName(remoteAddr).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        for (Cidr c : trustedProxies) {
            if (c.contains(addr)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 8941 byte sequence: {@code :base64:} holding one DER certificate. */
    static X509Certificate parseByteSequence(String value) throws IdentityVerificationException {
        String v = value.trim();
        if (v.length() < 2 || v.charAt(0) != ':' || v.charAt(v.length() - 1) != ':') {
            throw new IdentityVerificationException(IdentityVerificationException.Reason.MALFORMED,
                    "Client-Cert is not an RFC 8941 byte sequence (:base64:)");
        }
        try {
            byte[] der = Base64.getDecoder().decode(v.substring(1, v.length() - 1));
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
            throw new IdentityVerificationException(IdentityVerificationException.Reason.MALFORMED,
                    "Client-Cert does not hold a DER certificate: " + e.getMessage());
        }
    }

    /** An address block: IPv4 or IPv6 address with an optional prefix length. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            try {
                if (!host.matches("[0-9a-fA-F:.]+")) {
                    throw new IllegalArgumentException("trusted proxy '" + text + "' is not an IP address or CIDR");
                }
                byte[] addr = InetAddress.getByName(host).getAddress();
                int prefix = slash < 0 ? addr.length * 8 : Integer.parseInt(text.substring(slash + 1));
                if (prefix < 0 || prefix > addr.length * 8) {
                    throw new IllegalArgumentException("trusted proxy '" + text + "' has a bad prefix length");
                }
                return new Cidr(addr, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("trusted proxy '" + text + "' is not an IP address or CIDR");
            }
        }

        boolean contains(byte[] addr) {
            if (addr.length != network.length) {
                return false;
            }
            if (prefix == 0) {
                return true;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE).shiftLeft(addr.length * 8 - prefix);
            return new BigInteger(1, addr).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
