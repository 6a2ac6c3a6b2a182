package io.verger.api.event;

import io.verger.api.CommandStatus;

import java.util.List;

/**
 * The OSGi EventAdmin topics and event properties of Verger's protocol events.
 *
 * <p>The core posts them asynchronously ({@code EventAdmin.postEvent}) after the change they
 * announce has been stored, so a handler that reads a store sees it. Events of one enrollment are
 * posted in the order they happened; no order holds across enrollments. A handler must return
 * quickly and must not modify property values (a {@code byte[]} is shared, not copied).
 *
 * <p>Subscribe with the {@code event.topics} service property, e.g. {@link #CHECKIN_ALL} or
 * {@link #COMMAND_ACKNOWLEDGED}.
 */
public final class MdmEvents {

    private MdmEvents() {
    }

    // ---- topics: check-in ------------------------------------------------------------------

    /** Prefix of the check-in topics; the rest is Apple's {@code MessageType}. */
    public static final String CHECKIN_PREFIX = "verger/checkin/";
    /** Every check-in message. */
    public static final String CHECKIN_ALL = CHECKIN_PREFIX + "*";
    /** A device channel sent {@code Authenticate}: it is (re-)enrolling. */
    public static final String CHECKIN_AUTHENTICATE = CHECKIN_PREFIX + "Authenticate";
    /** A channel sent {@code TokenUpdate}: new push data. */
    public static final String CHECKIN_TOKEN_UPDATE = CHECKIN_PREFIX + "TokenUpdate";
    /** A channel sent {@code CheckOut}: the MDM profile was removed. */
    public static final String CHECKIN_CHECK_OUT = CHECKIN_PREFIX + "CheckOut";
    /** A user channel sent {@code UserAuthenticate}. */
    public static final String CHECKIN_USER_AUTHENTICATE = CHECKIN_PREFIX + "UserAuthenticate";
    /** A device sent {@code SetBootstrapToken}. The token itself is never in the event. */
    public static final String CHECKIN_SET_BOOTSTRAP_TOKEN = CHECKIN_PREFIX + "SetBootstrapToken";
    /** A device sent {@code GetBootstrapToken}. */
    public static final String CHECKIN_GET_BOOTSTRAP_TOKEN = CHECKIN_PREFIX + "GetBootstrapToken";
    /** A channel sent {@code DeclarativeManagement}. */
    public static final String CHECKIN_DECLARATIVE_MANAGEMENT = CHECKIN_PREFIX + "DeclarativeManagement";
    /** A channel sent {@code GetToken}. */
    public static final String CHECKIN_GET_TOKEN = CHECKIN_PREFIX + "GetToken";

    /** Apple's eight check-in {@code MessageType}s. */
    public static final List<String> CHECKIN_MESSAGE_TYPES = List.of("Authenticate", "TokenUpdate", "CheckOut",
            "UserAuthenticate", "SetBootstrapToken", "GetBootstrapToken", "DeclarativeManagement", "GetToken");

    // ---- topics: commands -------------------------------------------------------------------

    /** Prefix of the command topics. */
    public static final String COMMAND_PREFIX = "verger/command/";
    /** Every command event. */
    public static final String COMMAND_ALL = COMMAND_PREFIX + "*";
    /**
     * A command was queued, once per command: {@link #ENROLLMENT_IDS} lists the channels it was
     * queued for.
     */
    public static final String COMMAND_ENQUEUED = COMMAND_PREFIX + "ENQUEUED";
    /** A device reported {@code Acknowledged}. */
    public static final String COMMAND_ACKNOWLEDGED = COMMAND_PREFIX + "ACKNOWLEDGED";
    /** A device reported {@code Error}. */
    public static final String COMMAND_ERROR = COMMAND_PREFIX + "ERROR";
    /** A device reported {@code CommandFormatError}. */
    public static final String COMMAND_FORMAT_ERROR = COMMAND_PREFIX + "COMMAND_FORMAT_ERROR";
    /** A device reported {@code NotNow}. */
    public static final String COMMAND_NOT_NOW = COMMAND_PREFIX + "NOT_NOW";
    /** A device connected and reported {@code Idle}; no command is named. */
    public static final String COMMAND_IDLE = COMMAND_PREFIX + "IDLE";
    /** A pending command was cancelled. */
    public static final String COMMAND_CANCELLED = COMMAND_PREFIX + "CANCELLED";
    /**
     * A command type's {@code handleResult} threw; {@link #REASON} has the exception's message.
     */
    public static final String COMMAND_HANDLER_FAILED = COMMAND_PREFIX + "HANDLER_FAILED";

    // ---- topics: enrollments ----------------------------------------------------------------

    /** Prefix of the enrollment topics. */
    public static final String ENROLLMENT_PREFIX = "verger/enrollment/";
    /** Every enrollment event. */
    public static final String ENROLLMENT_ALL = ENROLLMENT_PREFIX + "*";
    /** A channel became enabled: its first {@code TokenUpdate} after {@code Authenticate}. */
    public static final String ENROLLMENT_ENROLLED = ENROLLMENT_PREFIX + "ENROLLED";
    /** A channel was disabled: {@code CheckOut}, re-{@code Authenticate} of its device, or an administrator. */
    public static final String ENROLLMENT_UNENROLLED = ENROLLMENT_PREFIX + "UNENROLLED";
    /** APNs refused a channel's push token; it is not pushed until its next {@code TokenUpdate}. */
    public static final String ENROLLMENT_TOKEN_INVALID = ENROLLMENT_PREFIX + "TOKEN_INVALID";
    /**
     * A request's identity certificate was refused; {@link #REASON} has the refusal, and
     * {@link #ENROLLMENT_ID} the enrollment the request claimed, if it got that far.
     */
    public static final String ENROLLMENT_IDENTITY_REJECTED = ENROLLMENT_PREFIX + "IDENTITY_REJECTED";

    // ---- properties ---------------------------------------------------------------------------

    /** {@code String}: the channel, formatted as {@link io.verger.api.EnrollmentId#format()}. */
    public static final String ENROLLMENT_ID = "enrollment.id";
    /** {@code String[]}: the channels, formatted, of {@link #COMMAND_ENQUEUED}. */
    public static final String ENROLLMENT_IDS = "enrollment.ids";
    /** {@code String}: the device channel of {@link #ENROLLMENT_ID}, formatted. */
    public static final String DEVICE_ID = "enrollment.deviceId";
    /** {@code String}: {@code DEVICE} or {@code USER}, an {@link io.verger.api.Channel} name. */
    public static final String CHANNEL = "enrollment.channel";
    /** {@code String}: the check-in {@code MessageType}. */
    public static final String MESSAGE_TYPE = "checkin.messageType";
    /** {@code String}: the {@code CommandUUID}. */
    public static final String COMMAND_UUID = "command.uuid";
    /** {@code String}: the command's {@code RequestType}. */
    public static final String REQUEST_TYPE = "command.requestType";
    /** {@code String}: the reported {@code Status}, as Apple spells it. */
    public static final String STATUS = "command.status";
    /**
     * {@code byte[]}: the message or report plist exactly as received (absent for
     * {@code SetBootstrapToken}, whose token is a secret).
     */
    public static final String RAW_PLIST = "plist.raw";
    /** {@code String}: why, for people (refusals, failures). */
    public static final String REASON = "reason";
    /** {@code Long}: when it happened, in milliseconds since the epoch (the same key as EventAdmin's {@code timestamp}). */
    public static final String TIMESTAMP = "timestamp";

    /**
     * @param messageType one of Apple's check-in {@code MessageType}s, e.g. {@code "TokenUpdate"}
     * @return its topic, e.g. {@code verger/checkin/TokenUpdate}
     * @throws IllegalArgumentException if {@code messageType} is not one of {@link #CHECKIN_MESSAGE_TYPES}
     */
    public static String checkinTopic(String messageType) {
        if (!CHECKIN_MESSAGE_TYPES.contains(messageType)) {
            throw new IllegalArgumentException("unknown check-in MessageType '" + messageType + "'; expected one of "
                    + String.join(", ", CHECKIN_MESSAGE_TYPES));
        }
        return CHECKIN_PREFIX + messageType;
    }

    /**
     * @param status a reported status
     * @return its topic, e.g. {@link #COMMAND_NOT_NOW} for {@code NotNow}
     */
    public static String commandTopic(CommandStatus status) {
        return switch (status) {
            case ACKNOWLEDGED -> COMMAND_ACKNOWLEDGED;
            case ERROR -> COMMAND_ERROR;
            case COMMAND_FORMAT_ERROR -> COMMAND_FORMAT_ERROR;
            case NOT_NOW -> COMMAND_NOT_NOW;
            case IDLE -> COMMAND_IDLE;
        };
    }
}
