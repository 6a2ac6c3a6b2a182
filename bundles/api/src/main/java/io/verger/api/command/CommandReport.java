package io.verger.api.command;

import io.verger.api.CommandStatus;
import io.verger.api.EnrollmentId;
import io.verger.api.ErrorChainEntry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A device's report on one command, as handed to {@link CommandType#handleResult(CommandReport)}.
 *
 * @param enrollmentId the channel that reported (for a user-channel command, the user channel)
 * @param commandUuid  the command's {@code CommandUUID}
 * @param requestType  the command's {@code RequestType}
 * @param status       the reported status; never {@link CommandStatus#IDLE}
 * @param response     the whole report dictionary as the device sent it ({@code Status},
 *                     {@code CommandUUID}, {@code UDID} and the command's response keys), as
 *                     unmodifiable plain-Java plist values
 * @param errorChain   the {@code ErrorChain}, empty unless the status is {@code Error}
 * @param receivedAt   when the server received the report
 */
public record CommandReport(EnrollmentId enrollmentId, String commandUuid, String requestType,
        CommandStatus status, Map<String, Object> response, List<ErrorChainEntry> errorChain, Instant receivedAt) {

    /**
     * @throws NullPointerException     if any component is {@code null}
     * @throws IllegalArgumentException if {@code status} is {@code IDLE}, which reports no command
     */
    public CommandReport {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        Objects.requireNonNull(commandUuid, "commandUuid");
        Objects.requireNonNull(requestType, "requestType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (status == CommandStatus.IDLE) {
            throw new IllegalArgumentException("an Idle status reports no command (command " + commandUuid + ")");
        }
        response = Map.copyOf(response);
        errorChain = List.copyOf(errorChain);
    }
}
