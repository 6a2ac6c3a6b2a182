package io.verger.storage.tck;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.Policy;
import io.verger.api.storage.PolicyRevision;
import io.verger.api.storage.PolicyTargetStore;
import io.verger.api.storage.PolicyTargets;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour {@link PolicyTargetStore}'s Javadoc specifies. */
public abstract class PolicyTargetStoreConformance extends StoreConformance {

    private PolicyTargetStore store() {
        return stores.policyTargets();
    }

    private Policy savedPolicy() {
        return stores.policies().save(new Policy("p-" + newUuid(), "Wi-Fi", "com.apple.wifi.managed",
                Map.of("SSID_STR", "Office", "AutoJoin", true), 0, at(1)));
    }

    private static String newGroup() {
        return "g-" + newUuid();
    }

    @Test
    void aGroupIsCreatedOnceAndDeleted() {
        String g = newGroup();
        assertFalse(store().groupExists(g));
        assertTrue(store().createGroup(g));
        assertFalse(store().createGroup(g), "exists already");
        assertTrue(store().groupExists(g));
        assertTrue(store().groups().contains(g));
        assertTrue(store().deleteGroup(g));
        assertFalse(store().deleteGroup(g));
        assertFalse(store().groupExists(g));
    }

    @Test
    void groupsAreListedInNameOrderAndAreNotPolicies() {
        store().createGroup("b");
        store().createGroup("a");
        store().createGroup("c");
        assertEquals(List.of("a", "b", "c"), store().groups());
        assertEquals(List.of(), stores.policies().list(), "groups are not policies");
    }

    @Test
    void membersAreAddedOnceRemovedAndListedInIdOrder() {
        String g = newGroup();
        store().createGroup(g);
        EnrollmentId d2 = EnrollmentId.device("D2-" + newUuid());
        EnrollmentId d1 = EnrollmentId.device("D1-" + newUuid());
        EnrollmentId u1 = EnrollmentId.user(d1.deviceId(), "U-" + newUuid());
        store().addMembers(g, List.of(d2, d1, u1));
        store().addMembers(g, List.of(d1));
        assertEquals(List.of(d1, u1, d2), store().members(g));
        store().removeMembers(g, List.of(d1, newDevice()));
        assertEquals(List.of(u1, d2), store().members(g));
        store().removeMembers("no-" + newUuid(), List.of(d2));
    }

    @Test
    void addingMembersToAMissingGroupFailsNamingIt() {
        String g = newGroup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store().addMembers(g, List.of(newDevice())));
        assertTrue(e.getMessage().contains(g), e.getMessage());
        assertEquals(List.of(), store().members(g));
    }

    @Test
    void groupsOfAChannelAreListedInNameOrder() {
        EnrollmentId d = newDevice();
        EnrollmentId other = newDevice();
        store().createGroup("z");
        store().createGroup("m");
        store().createGroup("a");
        store().addMembers("z", List.of(d));
        store().addMembers("m", List.of(d, other));
        store().addMembers("a", List.of(other));
        assertEquals(List.of("m", "z"), store().groupsOf(d));
        assertEquals(List.of(), store().groupsOf(EnrollmentId.user(d.deviceId(), "someone")), "a user channel is another channel");
    }

    @Test
    void deletingAGroupDeletesItsMemberships() {
        String g = newGroup();
        EnrollmentId d = newDevice();
        store().createGroup(g);
        store().addMembers(g, List.of(d));
        store().deleteGroup(g);
        assertEquals(List.of(), store().groupsOf(d));
        store().createGroup(g);
        assertEquals(List.of(), store().members(g), "a group made again starts empty");
    }

    @Test
    void invalidGroupNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> store().createGroup(""));
        assertThrows(IllegalArgumentException.class, () -> store().createGroup("two words"));
        assertThrows(IllegalArgumentException.class, () -> store().createGroup("x".repeat(256)));
        assertThrows(NullPointerException.class, () -> store().createGroup(null));
    }

    @Test
    void targetsAreNoneUntilSet() {
        Policy p = savedPolicy();
        assertEquals(PolicyTargets.NONE, store().targets(p.id()));
        assertEquals(PolicyTargets.NONE, store().targets("no-" + newUuid()));
    }

    @Test
    void targetsAreReplacedAsAWhole() {
        Policy p = savedPolicy();
        PolicyTargets first = new PolicyTargets(true, List.of("sales", "admins", "sales"), "iOS", "17.0", "kiosk");
        store().setTargets(p.id(), first);
        assertEquals(new PolicyTargets(true, List.of("sales", "admins"), "iOS", "17.0", "kiosk"), store().targets(p.id()));
        PolicyTargets second = new PolicyTargets(false, List.of("zeta", "alpha"), null, "14.0", null);
        store().setTargets(p.id(), second);
        assertEquals(second, store().targets(p.id()), "group order is kept");
        store().setTargets(p.id(), PolicyTargets.NONE);
        assertEquals(PolicyTargets.NONE, store().targets(p.id()));
    }

    @Test
    void targetsOfAMissingPolicyAreRefusedNamingIt() {
        String id = "no-" + newUuid();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store().setTargets(id, new PolicyTargets(true, List.of(), null, null, null)));
        assertTrue(e.getMessage().contains(id), e.getMessage());
    }

    @Test
    void revisionsAreListedOldestFirst() {
        Policy p1 = savedPolicy();
        Policy p2 = stores.policies().save(new Policy(p1.id(), "Wi-Fi (guest)", p1.payloadType(), Map.of("SSID_STR", "Guest"), 1, at(2)));
        assertTrue(store().appendRevision(PolicyRevision.of(p2)));
        assertTrue(store().appendRevision(PolicyRevision.of(p1)));
        List<PolicyRevision> history = store().revisions(p1.id());
        assertEquals(List.of(PolicyRevision.of(p1), PolicyRevision.of(p2)), history);
        assertEquals(Map.of("SSID_STR", "Office", "AutoJoin", true), history.get(0).settings());
        assertEquals(at(1), history.get(0).savedAt());
        assertEquals("Wi-Fi (guest)", history.get(1).name());
    }

    @Test
    void aRevisionIsRecordedOnce() {
        Policy p = savedPolicy();
        assertTrue(store().appendRevision(PolicyRevision.of(p)));
        assertFalse(store().appendRevision(new PolicyRevision(p.id(), 1, "other", p.payloadType(), Map.of(), at(9))));
        assertEquals(List.of(PolicyRevision.of(p)), store().revisions(p.id()), "the first is kept");
    }

    @Test
    void revisionsOfAMissingPolicyAreRefusedNamingIt() {
        String id = "no-" + newUuid();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store().appendRevision(new PolicyRevision(id, 1, "n", "t", Map.of(), at(1))));
        assertTrue(e.getMessage().contains(id), e.getMessage());
        assertEquals(List.of(), store().revisions(id));
    }

    @Test
    void deletingAPolicyDeletesItsTargetsAndRevisions() {
        Policy p = savedPolicy();
        store().setTargets(p.id(), new PolicyTargets(true, List.of("g"), "macOS", null, null));
        store().appendRevision(PolicyRevision.of(p));
        assertTrue(stores.policies().delete(p.id()));
        assertEquals(PolicyTargets.NONE, store().targets(p.id()));
        assertEquals(List.of(), store().revisions(p.id()));
        Policy again = stores.policies().save(new Policy(p.id(), p.name(), p.payloadType(), p.settings(), 0, at(5)));
        assertEquals(PolicyTargets.NONE, store().targets(again.id()), "a policy made again starts with no targets");
    }
}
