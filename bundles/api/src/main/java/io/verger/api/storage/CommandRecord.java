package io.verger.api.storage;

import io.verger.api.EnrollmentId;

import java.time.Instant;
import java.util.Objects;

/**
 * A command's history for one enrollment.
 *
 * @param enrollmentId the channel it was queued for
 * @param command      the command
 * @param state        where it stands; a pending command past its expiry reads as {@link CommandState#EXPIRED}
 * @param updatedAt    when the state last changed (enqueue, report, cancel, or expiry)
 * @param lastResult   the device's latest report on it, or {@code null} if none
 */
public record CommandRecord(EnrollmentId enrollmentId, QueuedCommand command, CommandState state,
        Instant updatedAt, CommandResult lastResult) {

    /** @throws NullPointerException if a component but {@code lastResult} is {@code null} */
    public CommandRecord {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
