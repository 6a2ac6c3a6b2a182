package io.verger.api.schema;

import io.verger.api.Channel;
import io.verger.api.EnrollmentType;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlatformSupportTest {

    @Test
    void defaultsToDeviceChannelWithoutRequirements() {
        PlatformSupport s = PlatformSupport.since("4.0");
        assertEquals(Set.of(Channel.DEVICE), s.channels());
        assertEquals(Set.of(), s.accessRights());
        assertTrue(s.permits(EnrollmentType.USER_ENROLLMENT, Channel.DEVICE, false));
        assertFalse(s.permits(EnrollmentType.DEVICE, Channel.USER, false));
    }

    @Test
    void notApplicableIsNotAVersion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlatformSupport.since("n/a"));
        assertTrue(e.getMessage().contains("omit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PlatformSupport.since("10.7").withRemoved("soon"));
        assertThrows(IllegalArgumentException.class, () -> PlatformSupport.since("10.7").withChannels());
    }

    @Test
    void enforcesUserEnrollmentSupervisionAndAutomatedEnrollment() {
        PlatformSupport erase = PlatformSupport.since("4.0")
                .withAccessRights(AccessRight.ALLOW_DEVICE_ERASE, AccessRight.ALLOW_DEVICE_ERASE)
                .withUserEnrollment(Availability.FORBIDDEN);
        assertEquals(Set.of(AccessRight.ALLOW_DEVICE_ERASE), erase.accessRights());
        assertFalse(erase.permits(EnrollmentType.USER_ENROLLMENT, Channel.DEVICE, false));
        assertTrue(erase.permits(EnrollmentType.DEVICE, Channel.DEVICE, false));

        PlatformSupport supervised = PlatformSupport.since("9.3").withSupervisedOnly();
        assertFalse(supervised.permits(EnrollmentType.DEVICE, Channel.DEVICE, false));
        assertTrue(supervised.permits(EnrollmentType.DEVICE, Channel.DEVICE, true));

        PlatformSupport ade = PlatformSupport.since("13.0").withAutomatedEnrollmentRequired()
                .withChannels(Channel.DEVICE, Channel.USER);
        assertFalse(ade.permits(EnrollmentType.DEVICE, Channel.USER, true));
        assertTrue(ade.permits(EnrollmentType.AUTOMATED_DEVICE, Channel.USER, true));
    }
}
