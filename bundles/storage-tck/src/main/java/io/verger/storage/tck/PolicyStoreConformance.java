package io.verger.storage.tck;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.Policy;
import io.verger.api.storage.PolicyStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour {@link PolicyStore}'s Javadoc specifies. */
public abstract class PolicyStoreConformance extends StoreConformance {

    private PolicyStore store() {
        return stores.policies();
    }

    private static Policy draft(String id) {
        return new Policy(id, "Passcode for " + id, "com.apple.mobiledevice.passwordpolicy",
                Map.of("minLength", 6L, "requireAlphanumeric", true, "tags", List.of("a", "b")), 0, at(1));
    }

    @Test
    void savingANewPolicyGivesRevisionOne() {
        Policy saved = store().save(draft("p-" + newUuid()));
        assertEquals(1, saved.revision());
        Policy found = store().find(saved.id()).orElseThrow();
        assertEquals(saved, found);
        assertEquals(Map.of("minLength", 6L, "requireAlphanumeric", true, "tags", List.of("a", "b")), found.settings());
    }

    @Test
    void savingTheStoredRevisionIncrementsIt() {
        Policy p1 = store().save(draft("p-" + newUuid()));
        Policy p2 = store().save(new Policy(p1.id(), "Renamed", p1.payloadType(), Map.of("minLength", 8L), p1.revision(), at(2)));
        assertEquals(2, p2.revision());
        assertEquals("Renamed", store().find(p1.id()).orElseThrow().name());
        assertEquals(Map.of("minLength", 8L), store().find(p1.id()).orElseThrow().settings());
    }

    @Test
    void creatingAnExistingPolicyFailsNamingIt() {
        Policy p = store().save(draft("p-" + newUuid()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store().save(draft(p.id())));
        assertTrue(e.getMessage().contains(p.id()), e.getMessage());
    }

    @Test
    void savingAStaleRevisionFails() {
        Policy p1 = store().save(draft("p-" + newUuid()));
        store().save(p1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store().save(p1));
        assertTrue(e.getMessage().contains(p1.id()), e.getMessage());
        assertEquals(2, store().find(p1.id()).orElseThrow().revision());
        assertThrows(IllegalStateException.class,
                () -> store().save(new Policy("p-" + newUuid(), "n", "t", Map.of(), 3, at(1))), "no such stored revision");
    }

    @Test
    void listIsInIdOrderAndDeleteRemoves() {
        store().save(draft("b"));
        store().save(draft("a"));
        store().save(draft("c"));
        assertEquals(List.of("a", "b", "c"), store().list().stream().map(Policy::id).toList());
        assertTrue(store().delete("b"));
        assertFalse(store().delete("b"));
        assertTrue(store().find("b").isEmpty());
        assertEquals(List.of("a", "c"), store().list().stream().map(Policy::id).toList());
    }

    @Test
    void assignmentsAreKeptPerChannel() {
        Policy a = store().save(draft("a-" + newUuid()));
        Policy b = store().save(draft("b-" + newUuid()));
        EnrollmentId d1 = EnrollmentId.device("D1-" + newUuid());
        EnrollmentId d2 = EnrollmentId.device("D2-" + newUuid());
        EnrollmentId u1 = d1.userChannel("501");
        store().assign(a.id(), List.of(d2, d1, u1));
        store().assign(a.id(), List.of(d1)); // twice changes nothing
        store().assign(b.id(), List.of(d1));
        assertEquals(List.of(d1, u1, d2), store().assignees(a.id()));
        assertEquals(List.of(a, b), store().assignedTo(d1));
        assertEquals(List.of(a), store().assignedTo(u1));
        store().unassign(a.id(), List.of(d1, EnrollmentId.device("never-assigned")));
        assertEquals(List.of(b), store().assignedTo(d1));
        assertEquals(List.of(u1, d2), store().assignees(a.id()));
    }

    @Test
    void assigningAnUnknownPolicyFailsNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store().assign("no-such-policy", List.of(newDevice())));
        assertTrue(e.getMessage().contains("no-such-policy"), e.getMessage());
    }

    @Test
    void installationsAreRecordedPerChannel() {
        Policy a = store().save(draft("a-" + newUuid()));
        Policy b = store().save(draft("b-" + newUuid()));
        EnrollmentId id = newDevice();
        assertEquals(Map.of(), store().installed(id));
        store().markInstalled(id, a.id(), 1);
        store().markInstalled(id, b.id(), 1);
        store().markInstalled(id, a.id(), 2);
        assertEquals(Map.of(a.id(), 2L, b.id(), 1L), store().installed(id));
        store().markRemoved(id, b.id());
        assertEquals(Map.of(a.id(), 2L), store().installed(id));
        store().markRemoved(id, b.id()); // again: nothing to remove
    }

    @Test
    void deletingAPolicyDeletesItsAssignmentsAndInstallations() {
        Policy a = store().save(draft("a-" + newUuid()));
        EnrollmentId id = newDevice();
        store().assign(a.id(), List.of(id));
        store().markInstalled(id, a.id(), 1);
        assertTrue(store().delete(a.id()));
        assertEquals(List.of(), store().assignedTo(id));
        assertEquals(Map.of(), store().installed(id));
        assertEquals(List.of(), store().assignees(a.id()));
    }
}
