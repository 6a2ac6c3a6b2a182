package io.verger.api.event;

import io.verger.api.CommandStatus;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MdmEventsTest {

    @Test
    void topicsFollowTheDesignsNaming() {
        assertEquals("verger/checkin/Authenticate", MdmEvents.CHECKIN_AUTHENTICATE);
        assertEquals("verger/command/ACKNOWLEDGED", MdmEvents.COMMAND_ACKNOWLEDGED);
        assertEquals("verger/enrollment/*", MdmEvents.ENROLLMENT_ALL);
    }

    @Test
    void everyCheckinMessageHasItsTopic() {
        assertEquals(8, MdmEvents.CHECKIN_MESSAGE_TYPES.size());
        for (String type : MdmEvents.CHECKIN_MESSAGE_TYPES) {
            assertEquals(MdmEvents.CHECKIN_PREFIX + type, MdmEvents.checkinTopic(type));
        }
        assertEquals(MdmEvents.CHECKIN_GET_BOOTSTRAP_TOKEN, MdmEvents.checkinTopic("GetBootstrapToken"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MdmEvents.checkinTopic("Hello"));
        assertTrue(e.getMessage().contains("Hello"), e.getMessage());
    }

    @Test
    void everyStatusHasItsOwnCommandTopic() {
        Set<String> topics = new HashSet<>();
        for (CommandStatus s : CommandStatus.values()) {
            String topic = MdmEvents.commandTopic(s);
            assertTrue(topic.startsWith(MdmEvents.COMMAND_PREFIX), topic);
            topics.add(topic);
        }
        assertEquals(CommandStatus.values().length, topics.size());
        assertEquals(MdmEvents.COMMAND_NOT_NOW, MdmEvents.commandTopic(CommandStatus.NOT_NOW));
    }
}
