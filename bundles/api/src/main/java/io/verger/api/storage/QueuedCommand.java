package io.verger.api.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A command as it waits in the queue and as it is sent: the full command plist
 * ({@code {CommandUUID, Command}}) exactly as the device will receive it.
 *
 * @param commandUuid the {@code CommandUUID}; 1 to 255 characters without whitespace or control characters
 * @param requestType the command's {@code RequestType}, e.g. {@code "DeviceLock"}
 * @param plist       the serialized command plist, sent verbatim; never empty
 * @param priority    higher goes first; {@link #NORMAL_PRIORITY} for most commands
 * @param createdAt   when it was enqueued
 * @param expiresAt   after when it is no longer delivered, or {@code null} if it never expires
 */
public record QueuedCommand(String commandUuid, String requestType, byte[] plist, int priority,
        Instant createdAt, Instant expiresAt) {

    /** The priority of an ordinary command. */
    public static final int NORMAL_PRIORITY = 0;

    /**
     * @throws NullPointerException     if a component but {@code expiresAt} is {@code null}
     * @throws IllegalArgumentException if {@code commandUuid} or {@code requestType} is blank or has
     *                                  whitespace or control characters, {@code commandUuid} is longer
     *                                  than 255 characters, {@code plist} is empty, or
     *                                  {@code expiresAt} is not after {@code createdAt}
     */
    public QueuedCommand {
        checkToken("commandUuid", Objects.requireNonNull(commandUuid, "commandUuid"));
        checkToken("requestType of command " + commandUuid, Objects.requireNonNull(requestType, "requestType"));
        Objects.requireNonNull(plist, "plist of command " + commandUuid);
        Objects.requireNonNull(createdAt, "createdAt of command " + commandUuid);
        if (commandUuid.length() > 255) {
            throw new IllegalArgumentException("commandUuid is " + commandUuid.length() + " characters long; at most 255 are allowed");
        }
        if (plist.length == 0) {
            throw new IllegalArgumentException("plist of command " + commandUuid + " is empty");
        }
        if (expiresAt != null && !expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("command " + commandUuid + " expires at " + expiresAt
                    + ", not after it was created at " + createdAt);
        }
        plist = plist.clone();
    }

    /**
     * @return a command of {@link #NORMAL_PRIORITY} that never expires
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static QueuedCommand of(String commandUuid, String requestType, byte[] plist, Instant createdAt) {
        return new QueuedCommand(commandUuid, requestType, plist, NORMAL_PRIORITY, createdAt, null);
    }

    /** @return a copy with this priority */
    public QueuedCommand withPriority(int priority) {
        return new QueuedCommand(commandUuid, requestType, plist, priority, createdAt, expiresAt);
    }

    /**
     * @param ttl how long after {@code createdAt} the command may be delivered; positive
     * @return a copy that expires {@code ttl} after it was created
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     */
    public QueuedCommand withTimeToLive(Duration ttl) {
        return new QueuedCommand(commandUuid, requestType, plist, priority, createdAt, createdAt.plus(ttl));
    }

    /**
     * @param now the current time
     * @return {@code true} if the command expires at or before {@code now}
     */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** @return a copy of the command plist */
    @Override
    public byte[] plist() {
        return plist.clone();
    }

    /** Compares the plist by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof QueuedCommand c && commandUuid.equals(c.commandUuid) && requestType.equals(c.requestType)
                && Arrays.equals(plist, c.plist) && priority == c.priority && createdAt.equals(c.createdAt)
                && Objects.equals(expiresAt, c.expiresAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(commandUuid, requestType, Arrays.hashCode(plist), priority, createdAt, expiresAt);
    }

    /** Gives the plist's size, not its content, which may hold secrets. */
    @Override
    public String toString() {
        return "QueuedCommand[" + commandUuid + ", " + requestType + ", " + plist.length + " bytes, priority="
                + priority + ", createdAt=" + createdAt + (expiresAt == null ? "" : ", expiresAt=" + expiresAt) + "]";
    }

    private static void checkToken(String what, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                throw new IllegalArgumentException(what + " contains whitespace or a control character at index " + i);
            }
        }
    }
}
