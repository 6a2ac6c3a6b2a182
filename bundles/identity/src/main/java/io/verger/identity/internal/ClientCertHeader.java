package io.verger.identity.internal;

import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.IdentityVerificationException.Reason;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The RFC 9440 headers a TLS-terminating proxy sets: {@code Client-Cert} is the client
 * certificate's DER as a structured-field byte sequence ({@code :base64:}); {@code Client-Cert-Chain}
 * is a list of such byte sequences (the issuers, in order), possibly split over several header lines.
 */
final class ClientCertHeader {

    static final String CLIENT_CERT = "Client-Cert";
    static final String CLIENT_CERT_CHAIN = "Client-Cert-Chain";
    static final int MAX_HEADER_CHARS = 64 * 1024;
    static final int MAX_CHAIN_CERTIFICATES = 10;

    private ClientCertHeader() {
    }

    /**
     * @param clientCert      the {@code Client-Cert} value
     * @param clientCertChain the {@code Client-Cert-Chain} values (one per header line; may be empty)
     * @return the client certificate first, then the chain
     * @throws IdentityVerificationException MISSING if {@code clientCert} is null or blank, MALFORMED if a value is not RFC 9440
     */
    static List<X509Certificate> parse(String clientCert, List<String> clientCertChain) throws IdentityVerificationException {
        if (clientCert == null || clientCert.isBlank()) {
            throw new IdentityVerificationException(Reason.MISSING, "no " + CLIENT_CERT + " header");
        }
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate(CLIENT_CERT, clientCert));
        int total = clientCert.length();
        for (String line : clientCertChain) {
            if (line == null) {
                continue;
            }
            total += line.length();
            if (total > MAX_HEADER_CHARS) {
                throw new IdentityVerificationException(Reason.MALFORMED, "the " + CLIENT_CERT + " headers are longer than " + MAX_HEADER_CHARS + " characters");
            }
            for (String member : line.split(",")) {
                if (member.isBlank()) {
                    continue;
                }
                if (chain.size() > MAX_CHAIN_CERTIFICATES) {
                    throw new IdentityVerificationException(Reason.MALFORMED, "the " + CLIENT_CERT_CHAIN + " header has more than "
                            + MAX_CHAIN_CERTIFICATES + " certificates");
                }
                chain.add(certificate(CLIENT_CERT_CHAIN, member));
            }
        }
        return chain;
    }

    private static X509Certificate certificate(String header, String value) throws IdentityVerificationException {
        if (value.length() > MAX_HEADER_CHARS) {
            throw new IdentityVerificationException(Reason.MALFORMED, "the " + header + " header is longer than " + MAX_HEADER_CHARS + " characters");
        }
        String item = value.strip();
        int parameters = item.indexOf(';');
        if (parameters >= 0) {
            item = item.substring(0, parameters).strip(); // RFC 8941 parameters: none is defined for these headers
        }
        if (item.length() < 3 || item.charAt(0) != ':' || item.charAt(item.length() - 1) != ':') {
            throw new IdentityVerificationException(Reason.MALFORMED, "the " + header
                    + " header is not an RFC 9440 byte sequence (':' base64 DER ':')");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(item.substring(1, item.length() - 1));
        } catch (IllegalArgumentException e) {
            throw new IdentityVerificationException(Reason.MALFORMED, "the " + header + " header is not valid base64: " + e.getMessage(), e);
        }
        try {
            return Pem.toX509(der);
        } catch (Exception e) {
            throw new IdentityVerificationException(Reason.MALFORMED, "the " + header + " header is not a DER X.509 certificate: " + e.getMessage(), e);
        }
    }
}
