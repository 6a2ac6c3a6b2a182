package io.verger.api;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandStatusTest {

    @Test
    void readsTheStatusStringsDevicesSend() {
        assertEquals(CommandStatus.ACKNOWLEDGED, CommandStatus.of("Acknowledged"));
        assertEquals(CommandStatus.ERROR, CommandStatus.of("Error"));
        assertEquals(CommandStatus.COMMAND_FORMAT_ERROR, CommandStatus.of("CommandFormatError"));
        assertEquals(CommandStatus.NOT_NOW, CommandStatus.of("NotNow"));
        assertEquals(CommandStatus.IDLE, CommandStatus.of("Idle"));
    }

    @Test
    void statusLookupIsCaseSensitiveLikeTheProtocol() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandStatus.of("notnow"));
        assertTrue(e.getMessage().contains("NotNow"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CommandStatus.of(null));
    }

    @Test
    void onlyAcknowledgedErrorAndCommandFormatErrorCompleteACommand() {
        Set<CommandStatus> fin = EnumSet.noneOf(CommandStatus.class);
        for (CommandStatus s : CommandStatus.values()) {
            if (s.isFinal()) {
                fin.add(s);
            }
        }
        assertEquals(EnumSet.of(CommandStatus.ACKNOWLEDGED, CommandStatus.ERROR, CommandStatus.COMMAND_FORMAT_ERROR), fin);
    }
}
