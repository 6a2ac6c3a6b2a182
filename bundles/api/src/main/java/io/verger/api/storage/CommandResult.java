package io.verger.api.storage;

import io.verger.api.CommandStatus;
import io.verger.api.EnrollmentId;
import io.verger.api.ErrorChainEntry;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A device's report on a command, kept with its raw plist.
 *
 * @param enrollmentId the channel that reported
 * @param commandUuid  the reported {@code CommandUUID}
 * @param status       the reported status; never {@link CommandStatus#IDLE}, which reports no command
 * @param plist        the report exactly as the device sent it
 * @param errorChain   the {@code ErrorChain}, empty unless the device sent one
 * @param receivedAt   when the server received it
 */
public record CommandResult(EnrollmentId enrollmentId, String commandUuid, CommandStatus status, byte[] plist,
        List<ErrorChainEntry> errorChain, Instant receivedAt) {

    /**
     * @throws NullPointerException     if a component is {@code null}
     * @throws IllegalArgumentException if {@code status} is {@code IDLE}
     */
    public CommandResult {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        Objects.requireNonNull(commandUuid, "commandUuid");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(plist, "plist");
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (status == CommandStatus.IDLE) {
            throw new IllegalArgumentException("an Idle status from " + enrollmentId + " reports no command; it is not stored");
        }
        plist = plist.clone();
        errorChain = List.copyOf(errorChain);
    }

    /** @return a copy of the report plist */
    @Override
    public byte[] plist() {
        return plist.clone();
    }

    /** Compares the plist by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CommandResult r && enrollmentId.equals(r.enrollmentId) && commandUuid.equals(r.commandUuid)
                && status == r.status && Arrays.equals(plist, r.plist) && errorChain.equals(r.errorChain)
                && receivedAt.equals(r.receivedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enrollmentId, commandUuid, status, Arrays.hashCode(plist), errorChain, receivedAt);
    }

    /** Gives the plist's size, not its content, which may hold secrets. */
    @Override
    public String toString() {
        return "CommandResult[" + enrollmentId + ", " + commandUuid + ", " + status.appleName() + ", "
                + plist.length + " bytes, errorChain=" + errorChain + ", receivedAt=" + receivedAt + "]";
    }
}
