package io.verger.identity.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@value #PID}, shared by the device CA and the identity verifier. Every
 * attribute is optional: with none set, the CA is generated under {@code <verger.data>/identity/}
 * and trusted CAs and proxies come from the framework properties {@code verger.trusted.cas} and
 * {@code verger.trusted.proxies}.
 */
@ObjectClassDefinition(id = IdentityConfiguration.PID, name = "Verger device identity",
        description = "Device CA, trusted issuers of device identities, trusted TLS-terminating proxies, cert-auth options.")
@interface IdentityConfiguration {

    String PID = "io.verger.identity";

    @AttributeDefinition(name = "CA certificate (PEM)", required = false,
            description = "Path of the operator's CA certificate, PEM; the issuing CA first, then its issuers. Requires caKey. Empty: the built-in CA.")
    String caCertificate() default "";

    @AttributeDefinition(name = "CA private key (PEM)", required = false,
            description = "Path of the unencrypted PKCS#8 or traditional PEM private key of caCertificate.")
    String caKey() default "";

    @AttributeDefinition(name = "CA keystore (PKCS#12)", required = false,
            description = "Path of a PKCS#12 file holding exactly one private key entry with its chain. Used instead of caCertificate/caKey.")
    String caKeystore() default "";

    /** Property {@code .caKeystorePassword}: the leading dot keeps it out of the service properties (DS private property). */
    @AttributeDefinition(name = "CA keystore password", type = AttributeType.PASSWORD, required = false,
            description = "Password of caKeystore (configuration key .caKeystorePassword).")
    String _caKeystorePassword() default "";

    @AttributeDefinition(name = "Certificate validity (days)", min = "1",
            description = "Validity of issued device identities, and the longest the CA issues.")
    int certificateValidityDays() default 365;

    @AttributeDefinition(name = "Trusted CAs", required = false,
            description = "Comma-separated paths of PEM files whose CA certificates are trusted issuers of device identities, "
                    + "in addition to the device CA. Empty: the framework property verger.trusted.cas (env VERGER_TRUSTED_CAS).")
    String trustedCas() default "";

    @AttributeDefinition(name = "Trusted proxies", required = false,
            description = "Comma-separated IP addresses or CIDR ranges allowed to send the RFC 9440 Client-Cert header. "
                    + "Empty: the framework property verger.trusted.proxies; if that is empty too, the header is never accepted.")
    String trustedProxies() default "";

    @AttributeDefinition(name = "Allow shared identities",
            description = "Let one certificate be bound to several enrollments (an identity embedded in the enrollment profile). Weakens cert-auth.")
    boolean allowSharedIdentity() default false;

    @AttributeDefinition(name = "Allow retroactive binding",
            description = "Bind a certificate that is bound to nothing to an enrollment that has no certificate, outside Authenticate "
                    + "(enrollments migrated from another server). An enrollment that has a certificate is never re-bound outside Authenticate.")
    boolean allowRetroactiveBinding() default false;
}
