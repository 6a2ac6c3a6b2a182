package io.verger.api.storage;

import io.verger.api.EnrollmentId;
import org.osgi.annotation.versioning.ProviderType;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The command queue of every enrollment, and the results devices report: NanoMDM's enqueuer and
 * command-and-report-results store in one.
 *
 * <h2>Queue semantics</h2>
 * <ul>
 * <li>Each channel has its own queue. Its pending commands are delivered by priority (higher first),
 * then in the order they were enqueued (FIFO; the store's commit order, not the nodes' clocks).</li>
 * <li>A command stays pending until the device reports {@code Acknowledged}, {@code Error} or
 * {@code CommandFormatError}, which complete it, or until it is cancelled or expires.</li>
 * <li>{@code NotNow} keeps the command pending for a later connect; the device is given the next
 * command in this one. The engine achieves this by asking {@link #next} with
 * {@code skipNotNow = true} after every report, and {@code false} when a connect starts with
 * {@code Idle}.</li>
 * <li>Commands past their expiry are never delivered; they read as {@link CommandState#EXPIRED}.</li>
 * <li>Completed, cancelled and expired commands are kept with their results as history until
 * {@link #purge} removes them, so the tables do not grow without end.</li>
 * </ul>
 * Several nodes may serve the same store; a device does not make concurrent requests, so a channel's
 * queue is read and reported by one node at a time, but enqueues and cancels may come from any node
 * at any time.
 */
// Provider type: implemented by the storage bundle and called by many (core, API, webhook, plugins);
// it may gain methods in a minor version, which only storage implementations must follow.
@ProviderType
public interface CommandQueue {

    /**
     * Queues one command for many channels, atomically: for all accepted channels or none.
     *
     * @param command the command; its {@code commandUuid} must be new to each channel
     * @param ids     the channels
     * @return the ids that were not queued because they are unknown or disabled; empty if all were
     * @throws IllegalArgumentException if a channel already has a command with this {@code commandUuid}
     *                                  (nothing is queued); the message names the channel and UUID
     */
    Set<EnrollmentId> enqueue(QueuedCommand command, Collection<EnrollmentId> ids);

    /**
     * The command to give a channel now. Read-only: delivering does not change the queue.
     *
     * @param id         the channel
     * @param skipNotNow whether to pass over commands whose last report was {@code NotNow}
     * @param now        the current time, for expiry
     * @return the first pending, unexpired command in delivery order, or empty if there is none
     */
    Optional<QueuedCommand> next(EnrollmentId id, boolean skipNotNow, Instant now);

    /**
     * @param id  the channel
     * @param now the current time, for expiry
     * @return the channel's pending, unexpired commands in delivery order, {@code NotNow} ones included
     */
    List<QueuedCommand> pending(EnrollmentId id, Instant now);

    /**
     * Stores a device's report.
     * <ul>
     * <li>{@code Acknowledged}, {@code Error}, {@code CommandFormatError}: the command is completed
     * (never delivered again) in that state, with this result, whatever its state was before: a
     * cancelled or expired command the device had already received did run. A repeated report
     * replaces the stored result.</li>
     * <li>{@code NotNow}: a pending command becomes {@link CommandState#NOT_NOW} with this result; for
     * a command no longer pending nothing changes.</li>
     * </ul>
     *
     * @param result the report
     * @return {@code true} if the channel has (or had) the command; {@code false} if the
     *         {@code commandUuid} is unknown for this channel, in which case nothing is stored
     */
    boolean report(CommandResult result);

    /**
     * Stores a report as {@link #report(CommandResult)} does, then runs {@code handling} with its answer ({@code true}
     * when the channel has the command). A store may run both in one transaction, so that what the handling writes
     * through this same storage (such as the inventory a command type merges from the result) is made durable with
     * the report in one commit. If any of those writes fails, they are all rolled back and the report alone is stored;
     * the failed write has thrown to the handling as usual. The report is stored in any case before this returns.
     *
     * <p>The default stores the report, then runs the handling.
     *
     * @param result   the report
     * @param handling what to do with the stored report: handle its result (may write through this storage)
     * @return as {@link #report(CommandResult)}
     * @since 1.4
     */
    default boolean report(CommandResult result, java.util.function.Consumer<Boolean> handling) {
        boolean known = report(result);
        handling.accept(known);
        return known;
    }

    /**
     * Cancels a pending command: it is not delivered again. A device that already received it may
     * still execute it and report, which {@link #report} then records.
     *
     * @param id          the channel
     * @param commandUuid the command
     * @param at          when
     * @return {@code true} if the command was pending and is now {@link CommandState#CANCELLED}
     */
    boolean cancel(EnrollmentId id, String commandUuid, Instant at);

    /**
     * Cancels every pending command of one channel (e.g. when a device re-enrolls).
     *
     * @param id the channel (a device channel's user channels are not affected)
     * @param at when
     * @return how many commands were cancelled
     */
    int clear(EnrollmentId id, Instant at);

    /**
     * @param id          the channel
     * @param commandUuid the command
     * @return the command's record for this channel, or empty if unknown (or purged)
     */
    Optional<CommandRecord> find(EnrollmentId id, String commandUuid);

    /**
     * @param id    the channel
     * @param limit the most to return; positive
     * @return the channel's most recently enqueued commands, pending or not, newest first
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    List<CommandRecord> history(EnrollmentId id, int limit);

    /**
     * Deletes history: every command record that is no longer pending (completed, cancelled, or
     * expired) and whose state last changed (or that expired) before {@code cutoff}, with its
     * results, for all channels. Pending commands are never deleted.
     *
     * @param cutoff the retention limit, e.g. now minus the retention setting
     * @return how many command records were deleted
     */
    int purge(Instant cutoff);
}
