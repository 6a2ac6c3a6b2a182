package io.verger.identity.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.identity.IdentitySource;
import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.IdentityVerificationException.Reason;
import io.verger.api.identity.VerifiedIdentity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.verger.identity.internal.ChainVerificationTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cert-auth: each identity certificate acts for the one enrollment whose Authenticate it sent. */
class CertAuthTest {

    static final EnrollmentId IPHONE = EnrollmentId.device("00008030-001A2B3C4D5E6F70");
    static final EnrollmentId IPAD = EnrollmentId.device("00008101-000A1B2C3D4E5F60");

    @TempDir
    static Path data;
    static VerifierFixture fixture;

    DeviceIdentityVerifier verifier;
    InMemoryCertAuthStore store;

    @BeforeAll
    static void setUpCa() throws Exception {
        fixture = new VerifierFixture(data);
    }

    @BeforeEach
    void freshStore() {
        store = new InMemoryCertAuthStore();
        verifier = verifier();
    }

    DeviceIdentityVerifier verifier(Object... config) {
        DeviceIdentityVerifier v = new DeviceIdentityVerifier(fixture.ca, store, java.time.Clock.systemUTC());
        v.start(TestConfig.identity(config), name -> null);
        return v;
    }

    VerifiedIdentity newIdentity(DeviceIdentityVerifier v) throws Exception {
        TestDevice device = TestDevice.ec("secp256r1").enroll(fixture.ca, "CN=device", Duration.ofDays(30));
        return v.verifyMdmSignature(device.mdmSignatureDer(MdmSignatureTest.BODY, "SHA256", false), MdmSignatureTest.BODY);
    }

    @Test
    void authenticateBindsTheCertificateAndLaterRequestsPass() throws Exception {
        VerifiedIdentity identity = newIdentity(verifier);
        verifier.bind(identity, IPHONE);
        verifier.checkBinding(identity, IPHONE);
        assertTrue(store.isBound(IPHONE, identity.fingerprint()));
        assertEquals(IPHONE, verifier.verify(identity.chain(), IdentitySource.TLS_CLIENT_CERTIFICATE).boundTo());
    }

    @Test
    void userChannelsAreCheckedAgainstTheirDeviceBinding() throws Exception {
        VerifiedIdentity identity = newIdentity(verifier);
        verifier.bind(identity, IPHONE);
        verifier.checkBinding(identity, IPHONE.userChannel("6F9A1B3C-1D2E-4F50-8A6B-7C8D9E0F1A2B"));
        refused(Reason.BOUND_ELSEWHERE, () -> verifier.checkBinding(identity, IPAD.userChannel("user")));
        assertThrows(IllegalArgumentException.class, () -> verifier.bind(identity, IPHONE.userChannel("user")));
    }

    @Test
    void anotherTrustedCertificateClaimingTheSameUdidIsRefused() throws Exception {
        VerifiedIdentity owner = newIdentity(verifier);
        verifier.bind(owner, IPHONE);
        VerifiedIdentity intruder = newIdentity(verifier);
        IdentityVerificationException e = refused(Reason.NOT_BOUND, () -> verifier.checkBinding(intruder, IPHONE));
        assertTrue(e.getMessage().contains(IPHONE.toString()) && e.getMessage().contains(intruder.fingerprint().sha256Hex()), e.getMessage());
        assertEquals(1, store.size(), "nothing was bound");
    }

    @Test
    void aCertificateBoundToOneEnrollmentNeverActsForAnother() throws Exception {
        VerifiedIdentity iphone = newIdentity(verifier);
        VerifiedIdentity ipad = newIdentity(verifier);
        verifier.bind(iphone, IPHONE);
        verifier.bind(ipad, IPAD);
        IdentityVerificationException e = refused(Reason.BOUND_ELSEWHERE, () -> verifier.checkBinding(iphone, IPAD));
        assertTrue(e.getMessage().contains(IPHONE.toString()) && e.getMessage().contains(IPAD.toString()), e.getMessage());
        // not even by sending an Authenticate for the other enrollment
        refused(Reason.BOUND_ELSEWHERE, () -> verifier.bind(iphone, IPAD));
        // nor for an enrollment nobody has claimed yet
        refused(Reason.BOUND_ELSEWHERE, () -> verifier.bind(iphone, EnrollmentId.device("NEW-UDID")));
        refused(Reason.BOUND_ELSEWHERE, () -> verifier.checkBinding(iphone, EnrollmentId.device("NEW-UDID")));
    }

    @Test
    void authenticateAgainWithTheSameCertificateIsAccepted() throws Exception {
        VerifiedIdentity identity = newIdentity(verifier);
        verifier.bind(identity, IPHONE);
        verifier.bind(identity, IPHONE);
        assertEquals(1, store.size());
    }

    @Test
    void reEnrollmentAndRenewalWithANewCertificateRebindAtAuthenticate() throws Exception {
        VerifiedIdentity first = newIdentity(verifier);
        verifier.bind(first, IPHONE);
        // the enrollment profile is installed again (re-enrollment, or renewal of the identity): a new Authenticate
        VerifiedIdentity renewed = newIdentity(verifier);
        refused(Reason.NOT_BOUND, () -> verifier.checkBinding(renewed, IPHONE));
        verifier.bind(renewed, IPHONE);
        verifier.checkBinding(renewed, IPHONE);
        assertEquals(IPHONE, store.enrollmentOf(renewed.fingerprint()).orElseThrow());
    }

    @Test
    void anEnrollmentWithoutBindingMustAuthenticateFirst() throws Exception {
        VerifiedIdentity identity = newIdentity(verifier);
        refused(Reason.NOT_BOUND, () -> verifier.checkBinding(identity, IPHONE));
        assertEquals(0, store.size());
    }

    @Test
    void retroactiveBindingBindsOnlyEnrollmentsThatHaveNoCertificate() throws Exception {
        DeviceIdentityVerifier retroactive = verifier("allowRetroactiveBinding", true);
        VerifiedIdentity migrated = newIdentity(retroactive);
        retroactive.checkBinding(migrated, IPHONE);
        assertTrue(store.isBound(IPHONE, migrated.fingerprint()));
        retroactive.checkBinding(migrated, IPHONE);

        VerifiedIdentity intruder = newIdentity(retroactive);
        refused(Reason.NOT_BOUND, () -> retroactive.checkBinding(intruder, IPHONE));
        refused(Reason.BOUND_ELSEWHERE, () -> retroactive.checkBinding(migrated, IPAD));
    }

    @Test
    void sharedIdentitiesAreBoundToSeveralEnrollmentsOnlyWhenAllowed() throws Exception {
        DeviceIdentityVerifier shared = verifier("allowSharedIdentity", true);
        VerifiedIdentity embedded = newIdentity(shared);
        shared.bind(embedded, IPHONE);
        shared.bind(embedded, IPAD);
        shared.checkBinding(embedded, IPHONE);
        shared.checkBinding(embedded, IPAD);
        refused(Reason.BOUND_ELSEWHERE, () -> shared.checkBinding(embedded, EnrollmentId.device("THIRD")));
    }

    @Test
    void aBindingIsLookedUpOnceUnlessSharedIdentitiesCanChangeIt() throws Exception {
        MovableClock clock = new MovableClock();
        int[] lookups = new int[1];
        InMemoryCertAuthStore counting = new InMemoryCertAuthStore() {
            @Override
            public synchronized java.util.Optional<EnrollmentId> enrollmentOf(io.verger.api.identity.CertificateFingerprint fingerprint) {
                lookups[0]++;
                return super.enrollmentOf(fingerprint);
            }
        };
        for (boolean shared : new boolean[] {false, true}) {
            DeviceIdentityVerifier v = new DeviceIdentityVerifier(fixture.ca, counting, clock);
            v.start(TestConfig.identity("allowSharedIdentity", shared), name -> null);
            TestDevice device = TestDevice.ec("secp256r1").enroll(fixture.ca, "CN=device", Duration.ofDays(30));
            byte[] signature = device.mdmSignatureDer(MdmSignatureTest.BODY, "SHA256", false);
            v.bind(v.verifyMdmSignature(signature, MdmSignatureTest.BODY), shared ? IPAD : IPHONE);
            lookups[0] = 0;
            v.verifyMdmSignature(signature, MdmSignatureTest.BODY);
            v.verifyMdmSignature(signature, MdmSignatureTest.BODY);
            assertEquals(1, lookups[0], "looked up once, then cached");
            clock.now = clock.now.plus(Duration.ofHours(6)); // a device that checks in a few times a day
            assertEquals(shared ? IPAD : IPHONE, v.verifyMdmSignature(signature, MdmSignatureTest.BODY).boundTo());
            assertEquals(shared ? 2 : 1, lookups[0], shared ? "shared identities: another node may have bound it elsewhere meanwhile"
                    : "a binding that cannot change is not looked up again");
        }
    }
}
