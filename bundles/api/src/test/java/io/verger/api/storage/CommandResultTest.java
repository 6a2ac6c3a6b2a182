package io.verger.api.storage;

import io.verger.api.CommandStatus;
import io.verger.api.EnrollmentId;
import io.verger.api.ErrorChainEntry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandResultTest {

    private static final EnrollmentId ID = EnrollmentId.device("UDID-1");

    @Test
    void idleIsNotAResult() {
        assertThrows(IllegalArgumentException.class,
                () -> new CommandResult(ID, "uuid-1", CommandStatus.IDLE, new byte[]{1}, List.of(), Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> CommandState.of(CommandStatus.IDLE));
    }

    @Test
    void reportsMapToStatesAndOnlyQueuedAndNotNowArePending() {
        assertEquals(CommandState.NOT_NOW, CommandState.of(CommandStatus.NOT_NOW));
        assertEquals(CommandState.COMMAND_FORMAT_ERROR, CommandState.of(CommandStatus.COMMAND_FORMAT_ERROR));
        for (CommandState s : CommandState.values()) {
            assertEquals(s == CommandState.QUEUED || s == CommandState.NOT_NOW, s.isPending(), s.name());
        }
        for (CommandStatus status : CommandStatus.values()) {
            if (status != CommandStatus.IDLE) {
                assertEquals(status.isFinal(), !CommandState.of(status).isPending(), status.name());
            }
        }
    }

    @Test
    void resultKeepsErrorChainAndComparesPlistByContent() {
        List<ErrorChainEntry> chain = List.of(new ErrorChainEntry(12021, "MCInstallationErrorDomain", "x", null));
        CommandResult a = new CommandResult(ID, "uuid-1", CommandStatus.ERROR, new byte[]{1, 2}, chain, Instant.EPOCH);
        CommandResult b = new CommandResult(ID, "uuid-1", CommandStatus.ERROR, new byte[]{1, 2}, chain, Instant.EPOCH);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(chain, a.errorChain());
        assertTrue(a.toString().contains("Error"), a.toString());
        assertFalse(a.equals(new CommandResult(ID, "uuid-1", CommandStatus.ERROR, new byte[]{1, 3}, chain, Instant.EPOCH)));
    }
}
