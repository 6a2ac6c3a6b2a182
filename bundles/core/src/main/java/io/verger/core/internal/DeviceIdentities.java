package io.verger.core.internal;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import io.verger.api.identity.IdentitySource;
import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.IdentityVerifier;
import io.verger.api.identity.VerifiedIdentity;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Finds who sent a device request and has the identity verifier check it: the {@code Mdm-Signature} header
 * (detached CMS over the body), else the TLS client certificate, else the RFC 9440 {@code Client-Cert} header,
 * which the verifier accepts only from a configured trusted proxy address.
 */
final class DeviceIdentities {

    static final String MDM_SIGNATURE = "Mdm-Signature";
    static final String CLIENT_CERT = "Client-Cert";
    static final String CLIENT_CERT_CHAIN = "Client-Cert-Chain";
    static final String TLS_CHAIN_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private DeviceIdentities() {
    }

    static VerifiedIdentity verify(HttpServletRequest req, byte[] body, IdentityVerifier verifier) throws IdentityVerificationException {
        String signature = req.getHeader(MDM_SIGNATURE);
        if (signature != null && !signature.isBlank()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(signature.strip());
            } catch (IllegalArgumentException e) {
                throw new IdentityVerificationException(IdentityVerificationException.Reason.MALFORMED, "Mdm-Signature is not base64");
            }
            return verifier.verifyMdmSignature(der, body);
        }
        if (req.getAttribute(TLS_CHAIN_ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0) {
            return verifier.verify(Arrays.asList(chain), IdentitySource.TLS_CLIENT_CERTIFICATE);
        }
        String clientCert = req.getHeader(CLIENT_CERT);
        if (clientCert != null && !clientCert.isBlank()) {
            List<String> chain = Collections.list(req.getHeaders(CLIENT_CERT_CHAIN));
            return verifier.verifyClientCertHeader(clientCert, chain, req.getRemoteAddr());
        }
        throw new IdentityVerificationException(IdentityVerificationException.Reason.MISSING,
                "no Mdm-Signature header and no client certificate");
    }
}
