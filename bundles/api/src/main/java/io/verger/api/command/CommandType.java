package io.verger.api.command;

import org.osgi.annotation.versioning.ConsumerType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One MDM command, e.g. {@code DeviceLock}: how to build it from parameters, what it needs, and
 * optionally what to do with the device's answer.
 *
 * <p>Register an implementation as an OSGi service of this interface (a Declarative Services
 * {@code @Component(service = CommandType.class)}); one service per {@code RequestType}. If two
 * services name the same RequestType, the server uses the one with the highest
 * {@code service.ranking} (then the lowest {@code service.id}) and ignores the other, so a vendor can
 * replace a standard command type by registering its own with a higher ranking.
 *
 * <p>Thread-safety: the server calls every method from many threads at once, for many devices;
 * implementations must be thread-safe and should be stateless.
 *
 * <p>A simple command needs only {@link #requestType()} and {@link #describe()}: the default
 * {@link #build(Map)} checks the parameters against the description and copies them.
 */
// Consumer type: plugin bundles implement it and the core calls it, so the interface must stay
// binary compatible for them; any change to it is a major version.
@ConsumerType
public interface CommandType {

    /**
     * @return the {@code RequestType} exactly as Apple spells it, e.g. {@code "DeviceInformation"};
     *         the same value for the life of the service
     */
    String requestType();

    /**
     * Describes the command: its parameters, and per platform its versions, access rights,
     * channels, supervision and enrollment rules. The server shows it to API callers, checks a
     * device against it before enqueuing, and may cache it for the life of the service, so it must
     * not change while the service is registered. Its {@code requestType} must equal
     * {@link #requestType()}; the server does not use a type whose description names another.
     *
     * @return the description; never {@code null}
     */
    CommandDescription describe();

    /**
     * Builds the {@code Command} dictionary from an API caller's parameters, or says exactly which
     * parameter is wrong.
     *
     * <p>What the server guarantees about {@code params}: never {@code null}, unmodifiable all the
     * way down, holding plain-Java plist values only, without {@code RequestType}. JSON input has been
     * converted with the help of {@link #describe()}: numbers to {@link Long} for {@code <integer>}
     * keys and {@link Double} for {@code <real>} keys, base64 strings to {@code byte[]} for
     * {@code <data>} keys, ISO-8601 strings to {@link java.time.Instant} for {@code <date>} keys.
     * Nothing has been validated yet.
     *
     * <p>What the implementation must do: validate every parameter and throw
     * {@link CommandValidationException} for the first one that is missing, unknown, of the wrong
     * type or out of range; never throw anything else for bad input (any other exception is taken
     * as a bug of the command type and reported as a server error). On success return a new map that
     * holds {@code RequestType} = {@link #requestType()} and the command's keys, plist values only.
     * It must not hold {@code CommandUUID}: the server wraps the dictionary as
     * {@code {CommandUUID, Command}} and assigns the UUID. The method must have no side effects: the
     * server may call it to validate a command it then does not enqueue.
     *
     * <p>The default implementation validates {@code params} with
     * {@link CommandDescription#validate(Map)} and returns them with {@code RequestType} added.
     *
     * @param params the parameters; may be empty
     * @return the {@code Command} dictionary; the server does not modify it
     * @throws CommandValidationException naming the first invalid parameter and what was expected
     */
    default Map<String, Object> build(Map<String, Object> params) throws CommandValidationException {
        describe().validate(params);
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("RequestType", requestType());
        command.putAll(params);
        return command;
    }

    /**
     * Handles a device's report for a command of this type, e.g. stores the answer of
     * {@code DeviceInformation} as inventory.
     *
     * <p>When it is called: once for every report with status {@code Acknowledged}, {@code Error},
     * {@code CommandFormatError} or {@code NotNow} for a command of this RequestType, after the
     * report has been stored in the command queue and before the next command is sent to the
     * device. It is called on the thread that serves the device's request, so it must return
     * quickly: write to a store, hand longer work to an executor. It is called only if a command
     * type for the RequestType is registered when the report arrives, which need not be the service
     * that built the command. A device repeats a report whose response it did not receive, so the
     * handler must be idempotent.
     *
     * <p>An exception thrown here is logged and published as an event; it does not change the stored
     * report or the response to the device.
     *
     * <p>It runs while the report is being stored: a storage that supports it (the embedded database)
     * keeps the report's transaction open, and what this method writes through the storage services
     * commits together with the report (see {@code CommandQueue.report(CommandResult, Consumer)}). If
     * one of those writes fails, all of them are rolled back and the report is stored alone. So keep it
     * short, and do not wait here for other threads that write the same rows.
     *
     * <p>The default implementation does nothing.
     *
     * @param report the report; never {@code null}
     */
    default void handleResult(CommandReport report) {
        // Most commands need nothing beyond the stored result.
    }
}
