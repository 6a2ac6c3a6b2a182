package io.verger.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The {@code Status} a device reports to the server's {@code /mdm} endpoint.
 */
public enum CommandStatus {
    /** The device executed the command; its response keys are in the report. */
    ACKNOWLEDGED("Acknowledged"),
    /** The device tried and failed; the report's {@code ErrorChain} says why. */
    ERROR("Error"),
    /** The command dictionary was malformed (unknown RequestType, wrong key type...). */
    COMMAND_FORMAT_ERROR("CommandFormatError"),
    /** The device cannot run the command now (e.g. locked); it stays queued for a later connect. */
    NOT_NOW("NotNow"),
    /** Not a result: the device has connected and is ready for the next command. */
    IDLE("Idle");

    private final String appleName;

    CommandStatus(String appleName) {
        this.appleName = appleName;
    }

    /** @return the status as the device sends it, e.g. {@code "CommandFormatError"} */
    public String appleName() {
        return appleName;
    }

    /**
     * @return {@code true} for {@link #ACKNOWLEDGED}, {@link #ERROR} and {@link #COMMAND_FORMAT_ERROR}:
     *         the statuses that complete a command, so it is never delivered again
     */
    public boolean isFinal() {
        return this == ACKNOWLEDGED || this == ERROR || this == COMMAND_FORMAT_ERROR;
    }

    /**
     * Looks a status up by the exact string a device sends (case-sensitive, as Apple defines it).
     *
     * @param appleName the {@code Status} value, e.g. {@code "NotNow"}
     * @return the status
     * @throws IllegalArgumentException if {@code appleName} is {@code null} or not one of Apple's
     *                                  statuses; the message lists them
     */
    public static CommandStatus of(String appleName) {
        for (CommandStatus s : values()) {
            if (s.appleName.equals(appleName)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown command Status '" + appleName + "'; expected one of "
                + Arrays.stream(values()).map(CommandStatus::appleName).collect(Collectors.joining(", ")));
    }
}
