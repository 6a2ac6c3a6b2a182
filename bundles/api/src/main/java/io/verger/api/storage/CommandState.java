package io.verger.api.storage;

import io.verger.api.CommandStatus;

/**
 * Where a command stands for one enrollment.
 */
public enum CommandState {
    /** Waiting to be delivered; no report yet. */
    QUEUED,
    /** The device answered {@code NotNow}; waiting to be delivered again on a later connect. */
    NOT_NOW,
    /** The device executed it. */
    ACKNOWLEDGED,
    /** The device tried and failed. */
    ERROR,
    /** The device could not read it. */
    COMMAND_FORMAT_ERROR,
    /** Cancelled before the device completed it. */
    CANCELLED,
    /** Its time to live ran out before the device completed it. */
    EXPIRED;

    /** @return {@code true} for {@link #QUEUED} and {@link #NOT_NOW}: the command may still be delivered */
    public boolean isPending() {
        return this == QUEUED || this == NOT_NOW;
    }

    /**
     * @param status a reported status
     * @return the state the report puts a pending command in
     * @throws IllegalArgumentException for {@link CommandStatus#IDLE}, which reports no command
     */
    public static CommandState of(CommandStatus status) {
        return switch (status) {
            case ACKNOWLEDGED -> ACKNOWLEDGED;
            case ERROR -> ERROR;
            case COMMAND_FORMAT_ERROR -> COMMAND_FORMAT_ERROR;
            case NOT_NOW -> NOT_NOW;
            case IDLE -> throw new IllegalArgumentException("Idle reports no command, so it sets no command state");
        };
    }
}
