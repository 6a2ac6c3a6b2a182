package io.verger.signing.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@value #PID}. With nothing set, profiles are signed with the server's TLS
 * identity (the framework properties {@code org.apache.felix.https.keystore}, {@code .password},
 * {@code .type}), so a device shows the profile as verified by the same name it connects to.
 */
@ObjectClassDefinition(id = SigningConfiguration.PID, name = "Verger profile signing",
        description = "The identity that signs configuration and enrollment profiles. Empty: the server's TLS identity.")
@interface SigningConfiguration {

    String PID = "io.verger.signing";

    @AttributeDefinition(name = "Signing certificate (PEM)", required = false,
            description = "Path of the signing certificate, PEM, followed by its intermediates. Requires key.")
    String certificate() default "";

    @AttributeDefinition(name = "Signing key (PEM)", required = false,
            description = "Path of the unencrypted PEM private key (PKCS#8 or traditional RSA/EC) of certificate.")
    String key() default "";

    @AttributeDefinition(name = "Signing keystore (PKCS#12)", required = false,
            description = "Path of a PKCS#12 file with exactly one private key entry and its chain; used instead of certificate/key.")
    String keystore() default "";

    /** Property {@code .keystorePassword}: the leading dot keeps it out of the service properties. */
    @AttributeDefinition(name = "Signing keystore password", type = AttributeType.PASSWORD, required = false,
            description = "Password of keystore (configuration key .keystorePassword).")
    String _keystorePassword() default "";
}
