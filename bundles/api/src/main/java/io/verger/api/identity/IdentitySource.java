package io.verger.api.identity;

/**
 * How a device presented its identity certificate.
 */
public enum IdentitySource {
    /** As the TLS client certificate of the connection (mutual TLS ended at this server). */
    TLS_CLIENT_CERTIFICATE,
    /** In the {@code Mdm-Signature} header: a detached CMS signature over the request body. */
    MDM_SIGNATURE,
    /**
     * In the {@code Client-Cert} (and {@code Client-Cert-Chain}) header of RFC 9440, set by a
     * trusted reverse proxy that ended mutual TLS.
     */
    CLIENT_CERT_HEADER
}
