package io.verger.identity.internal;

import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * The device CA as the SCEP server and the enrollment profile need it: besides issuing, SCEP must
 * decrypt the requester's envelope and sign its answers with the CA key. Registered by
 * {@link DeviceCertificateAuthority} under this bundle-private interface, so no other bundle can
 * use the key.
 */
interface ScepAuthority {

    /** @return the issuing CA certificate first, then its issuers */
    List<X509Certificate> certificateChain();

    /** @return the CA's private key */
    PrivateKey privateKey();

    /** @return the validity of issued identities */
    Duration defaultValidity();

    /** As {@link io.verger.api.identity.CertificateAuthority#issue}. */
    X509Certificate issue(byte[] csr, Duration validity) throws CertificateException;
}
