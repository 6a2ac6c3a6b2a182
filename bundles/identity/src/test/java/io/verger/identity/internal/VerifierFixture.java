package io.verger.identity.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** A built-in device CA in a temporary data directory and a verifier over it, as DS would wire them. */
final class VerifierFixture {

    final DeviceCertificateAuthority ca;
    final InMemoryCertAuthStore store = new InMemoryCertAuthStore();

    VerifierFixture(Path dataDirectory) throws Exception {
        ca = DeviceCertificateAuthorityTest.started(dataDirectory);
    }

    DeviceIdentityVerifier verifier(Object... config) {
        return verifier(Map.of(), config);
    }

    DeviceIdentityVerifier verifier(Map<String, String> frameworkProperties, Object... config) {
        DeviceIdentityVerifier verifier = new DeviceIdentityVerifier(ca, store, Clock.systemUTC());
        verifier.start(TestConfig.identity(config), frameworkProperties::get);
        return verifier;
    }
}
