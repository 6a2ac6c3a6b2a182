package io.verger.api.push;

import io.verger.api.EnrollmentId;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushTargetTest {

    private static final EnrollmentId ID = EnrollmentId.device("UDID-1");
    private static final String TOPIC = "com.apple.mgmt.External.0c0ffee0";

    @Test
    void tokenIsCopiedInAndOut() {
        byte[] token = {0x0a, (byte) 0xff, 0x10};
        PushTarget target = new PushTarget(ID, token, "magic-1", TOPIC);
        token[0] = 0;
        assertArrayEquals(new byte[]{0x0a, (byte) 0xff, 0x10}, target.token());
        target.token()[1] = 0;
        assertEquals("0aff10", target.tokenHex());
    }

    @Test
    void equalityComparesTokenContent() {
        assertEquals(new PushTarget(ID, new byte[]{1, 2}, "m", TOPIC), new PushTarget(ID, new byte[]{1, 2}, "m", TOPIC));
        assertEquals(new PushTarget(ID, new byte[]{1, 2}, "m", TOPIC).hashCode(),
                new PushTarget(ID, new byte[]{1, 2}, "m", TOPIC).hashCode());
        assertFalse(new PushTarget(ID, new byte[]{1, 2}, "m", TOPIC).equals(new PushTarget(ID, new byte[]{1, 3}, "m", TOPIC)));
    }

    @Test
    void toStringKeepsTokenAndPushMagicOutOfLogs() {
        String text = new PushTarget(ID, new byte[]{0x0a, 0x0b}, "secret-magic", TOPIC).toString();
        assertFalse(text.contains("secret-magic"), text);
        assertFalse(text.contains("0a0b"), text);
        assertTrue(text.contains("UDID-1"), text);
    }

    @Test
    void rejectsEmptyTokenAndBlankMagicNamingTheEnrollment() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PushTarget(ID, new byte[0], "m", TOPIC));
        assertTrue(e.getMessage().contains("UDID-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PushTarget(ID, new byte[]{1}, " ", TOPIC));
        assertThrows(IllegalArgumentException.class, () -> new PushTarget(ID, new byte[]{1}, "m", ""));
    }

    @Test
    void unregisteredAndBadTokenMakeTheTokenUnusable() {
        EnumSet<PushOutcome> unusable = EnumSet.noneOf(PushOutcome.class);
        for (PushOutcome o : PushOutcome.values()) {
            if (o.tokenUnusable()) {
                unusable.add(o);
            }
        }
        assertEquals(EnumSet.of(PushOutcome.UNREGISTERED, PushOutcome.BAD_TOKEN), unusable);
    }

    @Test
    void failedResultCarriesItsDetail() {
        PushTarget target = new PushTarget(ID, new byte[]{1}, "m", TOPIC);
        PushResult r = PushResult.failed(target, "no push certificate for topic " + TOPIC);
        assertEquals(PushOutcome.FAILED, r.outcome());
        assertEquals(PushOutcome.DELIVERED, PushResult.delivered(target, "apns-id-1").outcome());
    }
}
