package io.verger.storage.tck;

import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.Platform;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.DeviceFacts;
import io.verger.api.storage.Enrollment;
import io.verger.api.storage.EnrollmentFilter;
import io.verger.api.storage.EnrollmentStore;
import io.verger.api.storage.TokenUpdate;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour of {@link EnrollmentStore} its Javadoc specifies. */
public abstract class EnrollmentStoreConformance extends StoreConformance {

    private EnrollmentStore store() {
        return stores.enrollments();
    }

    private Enrollment get(EnrollmentId id) {
        return store().find(id).orElseThrow(() -> new AssertionError("no enrollment " + id));
    }

    private TokenUpdate userUpdate(EnrollmentId user, int generation, java.time.Instant at) {
        return new TokenUpdate(new PushTarget(user, token(user, generation), "umagic", "com.apple.mgmt.External.test"),
                null, false, "jappleseed", "John Appleseed", at);
    }

    @Test
    void findOfUnknownChannelIsEmpty() {
        assertTrue(store().find(newDevice()).isEmpty());
    }

    @Test
    void authenticateCreatesDisabledDeviceChannelWithItsFacts() {
        EnrollmentId id = newDevice();
        DeviceFacts facts = iPhoneFacts("SN1");
        store().authenticate(id, EnrollmentType.AUTOMATED_DEVICE, facts, at(5));
        Enrollment e = get(id);
        assertEquals(id, e.id());
        assertEquals(EnrollmentType.AUTOMATED_DEVICE, e.type());
        assertFalse(e.enabled(), "not enabled until its TokenUpdate");
        assertEquals(0, e.tokenUpdates());
        assertEquals(facts, e.facts());
        assertEquals(at(5), e.enrolledAt());
        assertEquals(at(5), e.lastSeenAt());
        assertNull(e.topic());
        assertTrue(store().pushTargets(List.of(id)).isEmpty());
    }

    @Test
    void authenticateOfUserChannelIsRejected() {
        EnrollmentId user = newDevice().userChannel("U1");
        assertThrows(IllegalArgumentException.class,
                () -> store().authenticate(user, EnrollmentType.DEVICE, DeviceFacts.NONE, T0));
    }

    @Test
    void firstTokenUpdateEnablesAndCountsOne() {
        EnrollmentId id = newDevice();
        store().authenticate(id, EnrollmentType.DEVICE, iPhoneFacts("SN2"), T0);
        assertTrue(store().tokenUpdate(tokenUpdate(id, 1, at(1))), "first TokenUpdate enrolls");
        Enrollment e = get(id);
        assertTrue(e.enabled());
        assertEquals(1, e.tokenUpdates());
        assertEquals("com.apple.mgmt.External.test", e.topic());
        assertEquals(List.of(new PushTarget(id, token(id, 1), "magic-1", "com.apple.mgmt.External.test")),
                store().pushTargets(List.of(id)));
    }

    @Test
    void laterTokenUpdateIsARefreshAndCountsOnMore() {
        EnrollmentId id = enrolledDevice();
        assertFalse(store().tokenUpdate(tokenUpdate(id, 2, at(10))), "refresh of an enabled channel");
        assertFalse(store().tokenUpdate(tokenUpdate(id, 3, at(20))));
        assertEquals(3, get(id).tokenUpdates());
        assertArrayEquals(token(id, 3), store().pushTargets(List.of(id)).get(0).token());
    }

    @Test
    void tokenUpdateWithoutAuthenticateFailsNamingTheChannel() {
        EnrollmentId id = newDevice();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store().tokenUpdate(tokenUpdate(id, 1, T0)));
        assertTrue(e.getMessage().contains(id.format()), e.getMessage());
        assertTrue(store().find(id).isEmpty());
    }

    @Test
    void tokenUpdateAwaitingConfigurationIsStored() {
        EnrollmentId id = newDevice();
        store().authenticate(id, EnrollmentType.AUTOMATED_DEVICE, iPhoneFacts("SN3"), T0);
        store().tokenUpdate(new TokenUpdate(new PushTarget(id, token(id, 1), "m", "t"), null, true, null, null, at(1)));
        assertTrue(get(id).awaitingConfiguration());
        store().tokenUpdate(new TokenUpdate(new PushTarget(id, token(id, 1), "m", "t"), null, false, null, null, at(2)));
        assertFalse(get(id).awaitingConfiguration());
    }

    @Test
    void userChannelIsCreatedAtItsFirstTokenUpdateWithItsDevicesType() {
        EnrollmentId device = newDevice();
        store().authenticate(device, EnrollmentType.USER_ENROLLMENT, macFacts("SNU"), T0);
        store().tokenUpdate(tokenUpdate(device, 1, at(1)));
        EnrollmentId user = device.userChannel("501");
        assertTrue(store().find(user).isEmpty());
        assertTrue(store().tokenUpdate(userUpdate(user, 1, at(7))));
        Enrollment u = get(user);
        assertEquals(EnrollmentType.USER_ENROLLMENT, u.type());
        assertTrue(u.enabled());
        assertEquals("jappleseed", u.userShortName());
        assertEquals("John Appleseed", u.userLongName());
        assertEquals(at(7), u.enrolledAt(), "a user channel enrolls at its first TokenUpdate");
        assertEquals(1, u.tokenUpdates());
        assertEquals(macFacts("SNU"), u.facts(), "a user channel carries its device's facts");
        assertEquals(List.of(u), store().userChannels(device));
    }

    @Test
    void userChannelTokenUpdateFailsWhenDeviceIsNotEnabled() {
        EnrollmentId device = newDevice();
        EnrollmentId user = device.userChannel("501");
        assertThrows(IllegalStateException.class, () -> store().tokenUpdate(userUpdate(user, 1, T0)), "device unknown");
        store().authenticate(device, EnrollmentType.DEVICE, macFacts("SN4"), T0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store().tokenUpdate(userUpdate(user, 1, T0)));
        assertTrue(e.getMessage().contains(user.format()) || e.getMessage().contains(device.format()), e.getMessage());
        assertTrue(store().find(user).isEmpty());
    }

    @Test
    void authenticateAgainResetsTheEnrollmentAndDisablesUserChannels() {
        EnrollmentId device = newDevice();
        store().authenticate(device, EnrollmentType.DEVICE, macFacts("OLD"), T0);
        store().tokenUpdate(new TokenUpdate(new PushTarget(device, token(device, 1), "m", "t"), "unlock".getBytes(StandardCharsets.UTF_8),
                false, null, null, at(1)));
        store().tokenUpdate(tokenUpdate(device, 2, at(2)));
        EnrollmentId user = device.userChannel("501");
        store().tokenUpdate(userUpdate(user, 1, at(3)));

        DeviceFacts newFacts = macFacts("NEW");
        store().authenticate(device, EnrollmentType.AUTOMATED_DEVICE, newFacts, at(100));
        Enrollment e = get(device);
        assertFalse(e.enabled());
        assertEquals(0, e.tokenUpdates());
        assertEquals(EnrollmentType.AUTOMATED_DEVICE, e.type());
        assertEquals(at(100), e.enrolledAt());
        assertEquals(newFacts, e.facts());
        assertFalse(get(user).enabled(), "user channels are disabled by a new Authenticate");
        assertTrue(store().pushTargets(List.of(device, user)).isEmpty(), "push data is dropped");
        assertArrayEquals("unlock".getBytes(StandardCharsets.UTF_8), store().unlockToken(device).orElseThrow(),
                "Authenticate leaves the unlock token alone");

        assertTrue(store().tokenUpdate(tokenUpdate(device, 3, at(101))), "enrolls again");
        assertEquals(1, get(device).tokenUpdates(), "reset to 1 by the first TokenUpdate after Authenticate");
        assertTrue(store().tokenUpdate(userUpdate(user, 2, at(102))), "the user channel enrolls again");
        assertTrue(get(user).enabled());
    }

    @Test
    void disableOfDeviceDisablesItsUserChannels() {
        EnrollmentId device = enrolledDevice();
        EnrollmentId user = device.userChannel("501");
        store().tokenUpdate(userUpdate(user, 1, at(1)));
        assertTrue(store().disable(device));
        assertFalse(get(device).enabled());
        assertFalse(get(user).enabled());
        assertTrue(store().pushTargets(List.of(device, user)).isEmpty());
        assertFalse(store().disable(device), "already disabled");
        assertEquals(1, get(device).tokenUpdates(), "data is kept for history");
    }

    @Test
    void disableOfUserChannelLeavesDeviceEnabled() {
        EnrollmentId device = enrolledDevice();
        EnrollmentId user = device.userChannel("501");
        store().tokenUpdate(userUpdate(user, 1, at(1)));
        assertTrue(store().disable(user));
        assertTrue(get(device).enabled());
        assertFalse(get(user).enabled());
    }

    @Test
    void disableOfUnknownChannelReturnsFalse() {
        assertFalse(store().disable(newDevice()));
    }

    @Test
    void unlockTokenIsKeptWhenATokenUpdateHasNone() {
        EnrollmentId id = newDevice();
        store().authenticate(id, EnrollmentType.DEVICE, iPhoneFacts("SN5"), T0);
        assertTrue(store().unlockToken(id).isEmpty());
        byte[] unlock = new byte[] {1, 2, 3, 0, -1, -128, 127};
        store().tokenUpdate(new TokenUpdate(new PushTarget(id, token(id, 1), "m", "t"), unlock, false, null, null, at(1)));
        store().tokenUpdate(tokenUpdate(id, 2, at(2)));
        assertArrayEquals(unlock, store().unlockToken(id).orElseThrow());
        byte[] copy = store().unlockToken(id).orElseThrow();
        copy[0] = 99;
        assertArrayEquals(unlock, store().unlockToken(id).orElseThrow(), "the returned array is a copy");
    }

    @Test
    void seenMovesLastSeenForwardOnly() {
        EnrollmentId id = enrolledDevice(at(10));
        store().seen(id, at(20));
        assertEquals(at(20), get(id).lastSeenAt());
        store().seen(id, at(15));
        assertEquals(at(20), get(id).lastSeenAt(), "lastSeenAt never moves back");
        store().seen(id, at(20).plusNanos(1000));
        assertEquals(at(20).plusNanos(1000), get(id).lastSeenAt());
    }

    @Test
    void seenInABatchMovesEachForwardOnlyAndIgnoresUnknownChannels() {
        EnrollmentId a = enrolledDevice(at(10));
        EnrollmentId b = enrolledDevice(at(10));
        store().seen(b, at(40));
        java.util.Map<EnrollmentId, java.time.Instant> batch = new java.util.HashMap<>();
        batch.put(a, at(30));
        batch.put(b, at(35)); // older than b's stored time
        batch.put(newDevice(), at(30));
        store().seen(batch);
        assertEquals(at(30), get(a).lastSeenAt());
        assertEquals(at(40), get(b).lastSeenAt(), "lastSeenAt never moves back");
        store().seen(java.util.Map.of());
    }

    @Test
    void seenOfUnknownChannelIsIgnored() {
        EnrollmentId id = newDevice();
        store().seen(id, T0);
        assertTrue(store().find(id).isEmpty());
    }

    @Test
    void pushTargetsLeaveOutUnknownDisabledAndInvalidatedChannels() {
        EnrollmentId a = enrolledDevice();
        EnrollmentId b = enrolledDevice();
        EnrollmentId c = enrolledDevice();
        EnrollmentId unknown = newDevice();
        store().disable(b);
        assertTrue(store().invalidateToken(c, token(c, 1)));
        List<PushTarget> targets = store().pushTargets(List.of(a, b, c, unknown));
        assertEquals(Set.of(a), targets.stream().map(PushTarget::enrollmentId).collect(Collectors.toSet()));
        assertTrue(store().pushTargets(List.of()).isEmpty());
    }

    @Test
    void invalidateTokenDoesNothingWhenTheTokenWasRefreshed() {
        EnrollmentId id = enrolledDevice();
        store().tokenUpdate(tokenUpdate(id, 2, at(5)));
        assertFalse(store().invalidateToken(id, token(id, 1)), "a refreshed token is not lost");
        assertEquals(1, store().pushTargets(List.of(id)).size());
        assertFalse(store().invalidateToken(newDevice(), token(id, 2)), "unknown channel");
    }

    @Test
    void tokenUpdateAfterInvalidationMakesTheChannelPushableAgain() {
        EnrollmentId id = enrolledDevice();
        assertTrue(store().invalidateToken(id, token(id, 1)));
        assertTrue(store().pushTargets(List.of(id)).isEmpty());
        assertTrue(get(id).enabled(), "an invalid token does not unenroll");
        store().tokenUpdate(tokenUpdate(id, 2, at(5)));
        assertEquals(1, store().pushTargets(List.of(id)).size());
    }

    @Test
    void pushTargetsOfManyChannelsAtOnce() {
        List<EnrollmentId> ids = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            ids.add(enrolledDevice());
        }
        assertEquals(Set.copyOf(ids), store().pushTargets(ids).stream().map(PushTarget::enrollmentId).collect(Collectors.toSet()));
    }

    /** Ids whose formatted order and {@link EnrollmentId#compareTo} agree (see the report on the list order). */
    private List<EnrollmentId> population(String prefix) {
        List<EnrollmentId> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            EnrollmentId d = EnrollmentId.device(prefix + "-D" + i);
            DeviceFacts facts = i % 2 == 0 ? iPhoneFacts("S" + i) : macFacts("S" + i);
            store().authenticate(d, EnrollmentType.DEVICE, facts, at(i));
            store().tokenUpdate(tokenUpdate(d, 1, at(i)));
            ids.add(d);
            if (i % 3 == 0) {
                EnrollmentId u = d.userChannel("U" + i);
                store().tokenUpdate(userUpdate(u, 1, at(i)));
                ids.add(u);
            }
        }
        store().disable(EnrollmentId.device(prefix + "-D1"));
        return ids;
    }

    @Test
    void listPagesInEnrollmentIdOrder() {
        String prefix = "L" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        List<EnrollmentId> ids = population(prefix);
        List<EnrollmentId> expected = ids.stream().sorted().collect(Collectors.toList());
        List<EnrollmentId> seen = new ArrayList<>();
        EnrollmentId after = null;
        while (true) {
            List<Enrollment> page = store().list(EnrollmentFilter.ALL, after, 3);
            assertTrue(page.size() <= 3);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(e -> seen.add(e.id()));
            after = page.get(page.size() - 1).id();
        }
        assertEquals(expected, seen);
        assertEquals(expected.size(), store().count(EnrollmentFilter.ALL));
    }

    @Test
    void listAndCountApplyEveryFilter() {
        String prefix = "F" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        population(prefix);
        // devices D0..D6: even ones iPhone, odd ones Mac; D1 disabled (and no user channel); users on D0, D3, D6
        // seen at their index: D_i at(i)
        assertEquals(10, store().count(EnrollmentFilter.ALL));
        assertEquals(7, store().count(EnrollmentFilter.ALL.withDeviceOnly(true)));
        assertEquals(1, store().count(EnrollmentFilter.ALL.withEnabled(false)));
        assertEquals(9, store().count(EnrollmentFilter.ALL.withEnabled(true)));
        assertEquals(4, store().count(EnrollmentFilter.ALL.withDeviceOnly(true).withPlatform(Platform.IOS)));
        assertEquals(3, store().count(EnrollmentFilter.ALL.withDeviceOnly(true).withPlatform(Platform.MACOS)));
        assertEquals(0, store().count(EnrollmentFilter.ALL.withPlatform(Platform.TVOS)));
        assertEquals(List.of(EnrollmentId.device(prefix + "-D5"), EnrollmentId.device(prefix + "-D6")),
                store().list(EnrollmentFilter.ALL.withDeviceOnly(true).withSeenSince(at(5)), null, 100).stream().map(Enrollment::id).toList());
        assertEquals(List.of(EnrollmentId.device(prefix + "-D0"), EnrollmentId.device(prefix + "-D1")),
                store().list(EnrollmentFilter.ALL.withDeviceOnly(true).withSeenBefore(at(2)), null, 100).stream().map(Enrollment::id).toList());
        assertEquals(3, store().count(EnrollmentFilter.ALL.withDeviceOnly(true).withSeenSince(at(2)).withSeenBefore(at(5))));
        assertEquals(List.of(EnrollmentId.device(prefix + "-D1")),
                store().list(EnrollmentFilter.ALL.withEnabled(false), null, 10).stream().map(Enrollment::id).toList());
    }

    @Test
    void listRejectsANonPositiveLimit() {
        assertThrows(IllegalArgumentException.class, () -> store().list(EnrollmentFilter.ALL, null, 0));
        assertThrows(IllegalArgumentException.class, () -> store().list(EnrollmentFilter.ALL, null, -1));
    }

    @Test
    void userChannelsAreListedInIdOrder() {
        EnrollmentId device = enrolledDevice();
        store().tokenUpdate(userUpdate(device.userChannel("B"), 1, at(1)));
        store().tokenUpdate(userUpdate(device.userChannel("A"), 1, at(2)));
        store().tokenUpdate(userUpdate(device.userChannel("C"), 1, at(3)));
        assertEquals(List.of(device.userChannel("A"), device.userChannel("B"), device.userChannel("C")),
                store().userChannels(device).stream().map(Enrollment::id).toList());
        assertTrue(store().userChannels(newDevice()).isEmpty());
    }

    @Test
    void nullArgumentsThrowNullPointerException() {
        assertThrows(NullPointerException.class, () -> store().find(null));
        assertThrows(NullPointerException.class, () -> store().seen(null, T0));
        assertThrows(NullPointerException.class, () -> store().tokenUpdate(null));
        assertThrows(NullPointerException.class, () -> store().pushTargets(null));
    }
}
