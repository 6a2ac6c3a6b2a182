package io.verger.identity.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@value #PID}: over-the-air enrollment (enrollment profile, tokens, SCEP
 * challenges). Every attribute is optional.
 */
@ObjectClassDefinition(id = EnrollmentConfiguration.PID, name = "Verger enrollment",
        description = "The enrollment profile served at /enroll, enrollment tokens and SCEP challenges.")
@interface EnrollmentConfiguration {

    String PID = "io.verger.enrollment";

    @AttributeDefinition(name = "Organization name", required = false,
            description = "PayloadOrganization of the enrollment profile and O of the device identity subject. Empty: the framework property verger.organization.name (VERGER_ORGANIZATION), else the product name.")
    String organizationName() default "";

    @AttributeDefinition(name = "Profile display name", required = false,
            description = "PayloadDisplayName of the enrollment profile. Empty: '<product name> enrollment'.")
    String profileDisplayName() default "";

    @AttributeDefinition(name = "Product name", required = false,
            description = "Name used in display names. Empty: the framework property verger.product.name, else 'Verger'.")
    String productName() default "";

    @AttributeDefinition(name = "Enrollment token lifetime (minutes)", min = "1",
            description = "How long a token from POST /api/v1/enrollment-tokens may be used (once).")
    int tokenTtlMinutes() default 60 * 24;

    @AttributeDefinition(name = "SCEP challenge lifetime (minutes)", min = "1",
            description = "How long the one-time SCEP challenge inside an enrollment profile stays valid.")
    int challengeTtlMinutes() default 60;

    /** Property {@code .staticChallenge}: the leading dot keeps it out of the service properties. */
    @AttributeDefinition(name = "Static SCEP challenge", type = AttributeType.PASSWORD, required = false,
            description = "A reusable SCEP challenge password for other SCEP clients (configuration key .staticChallenge). Empty: none.")
    String _staticChallenge() default "";

    /** Property {@code .staticEnrollmentSecret}: the leading dot keeps it out of the service properties. */
    @AttributeDefinition(name = "Static enrollment secret", type = AttributeType.PASSWORD, required = false,
            description = "A reusable value of /enroll?token=… accepted besides one-time tokens (configuration key .staticEnrollmentSecret). Empty: none.")
    String _staticEnrollmentSecret() default "";

    @AttributeDefinition(name = "PKCS#12 identity instead of SCEP",
            description = "Serve a com.apple.security.pkcs12 payload with a key and certificate issued at download, instead of a SCEP payload.")
    boolean pkcs12Identity() default false;
}
