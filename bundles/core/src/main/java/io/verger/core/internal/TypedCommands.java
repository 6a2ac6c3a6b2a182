package io.verger.core.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.api.Channel;
import io.verger.api.EnrollmentType;
import io.verger.api.Platform;
import io.verger.api.command.CommandDescription;
import io.verger.api.command.CommandType;
import io.verger.api.command.CommandValidationException;
import io.verger.api.schema.JsonValues;
import io.verger.api.schema.PayloadValidationException;
import io.verger.api.schema.PlatformSupport;
import io.verger.api.storage.Enrollment;
import io.verger.api.storage.Inventory;
import io.verger.api.storage.QueuedCommand;
import io.verger.plist.PlistCodec;

/**
 * Commands by RequestType with JSON parameters, as the JSON API takes them: the installed {@link CommandType} is
 * looked up (422 when none), the parameters are converted from JSON with the help of its description (base64 to
 * data, ISO-8601 to date, numbers to integer or real), the target is checked against the description's platforms
 * (422 unless forced; facts the server does not know never refuse), and the command is built (400 naming the key).
 */
final class TypedCommands {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TypedCommands() {
    }

    /** What a caller asked for: {@code {"requestType", "params", "force", "priority", "ttlSeconds"}}. */
    record Request(String requestType, JsonNode params, boolean force, int priority, Duration ttl) {

        static Request parse(JsonNode json) {
            if (json == null || !json.isObject() || !json.path("requestType").isTextual() || json.get("requestType").asText().isBlank()) {
                throw MdmException.badRequest("expected {\"requestType\": \"DeviceLock\", \"params\": {...}} (or {\"plist\": \"<raw command plist>\"})");
            }
            JsonNode params = json.path("params");
            if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
                throw MdmException.badRequest("params must be a JSON object");
            }
            if (json.has("priority") && !json.get("priority").canConvertToInt()) {
                throw MdmException.badRequest("priority must be an integer");
            }
            Duration ttl = null;
            if (json.hasNonNull("ttlSeconds")) {
                if (!json.get("ttlSeconds").canConvertToLong() || json.get("ttlSeconds").asLong() <= 0) {
                    throw MdmException.badRequest("ttlSeconds must be a positive integer");
                }
                ttl = Duration.ofSeconds(json.get("ttlSeconds").asLong());
            }
            return new Request(json.get("requestType").asText(), params.isObject() ? params : null,
                    json.path("force").asBoolean(false), json.path("priority").asInt(QueuedCommand.NORMAL_PRIORITY), ttl);
        }
    }

    /** A command ready to queue: its UUID, the built Command dictionary and the bytes a device receives. */
    record Built(String commandUuid, String requestType, Map<String, Object> command, byte[] plist) {

        QueuedCommand queued(Request r, Instant now) {
            QueuedCommand q = QueuedCommand.of(commandUuid, requestType, plist, now).withPriority(r.priority());
            return r.ttl() == null ? q : q.withTimeToLive(r.ttl());
        }

        /** The Find My PIN of a DeviceLock or EraseDevice, shown to admins. */
        String pin() {
            return pinOf(command);
        }
    }

    static String pinOf(Map<?, ?> command) {
        Object rt = command.get("RequestType");
        return ("DeviceLock".equals(rt) || "EraseDevice".equals(rt)) && command.get("PIN") instanceof String s ? s : null;
    }

    static CommandType requireType(MdmProtocol p, String requestType) {
        return p.commandType(requestType)
                .orElseThrow(() -> new MdmException(422, "command type " + requestType + " is not installed"));
    }

    static CommandDescription describe(CommandType type) {
        try {
            CommandDescription d = type.describe();
            if (!d.requestType().equals(type.requestType())) {
                throw new MdmException(500, "command type " + type.requestType() + " describes " + d.requestType());
            }
            return d;
        } catch (RuntimeException e) {
            if (e instanceof MdmException m) {
                throw m;
            }
            throw new MdmException(500, "command type " + type.requestType() + " failed to describe itself: " + e, e);
        }
    }

    /**
     * Why the target cannot run the command, or empty if nothing the server knows forbids it. Unknown facts
     * (platform, supervision) never refuse.
     */
    static Optional<String> refusal(CommandDescription d, Enrollment e, Optional<Inventory> inventory) {
        String rt = d.requestType();
        String who = e.id().format();
        Optional<Platform> platform = e.facts().platform().or(() -> inventory.flatMap(Inventory::platform));
        Channel channel = e.id().channel();
        if (platform.isEmpty()) {
            boolean anyChannel = d.platforms().values().stream().anyMatch(s -> s.channels().contains(channel));
            return anyChannel ? Optional.empty()
                    : Optional.of(rt + " is not sent on the " + channelName(channel) + "; " + who + " is one");
        }
        Optional<PlatformSupport> on = d.on(platform.get());
        if (on.isEmpty()) {
            return Optional.of(rt + " is not supported on " + platform.get().schemaName() + " (" + who + ")");
        }
        PlatformSupport s = on.get();
        if (!s.channels().contains(channel)) {
            return Optional.of(rt + " is sent on the " + (s.channels().contains(Channel.DEVICE) ? "device" : "user")
                    + " channel only on " + platform.get().schemaName() + "; " + who + " is a " + channelName(channel));
        }
        boolean userEnrollment = e.type() == EnrollmentType.USER_ENROLLMENT;
        if (!s.userEnrollment().permits(userEnrollment)) {
            return Optional.of(rt + (userEnrollment ? " is not allowed under User Enrollment" : " requires User Enrollment")
                    + " on " + platform.get().schemaName() + " (" + who + ")");
        }
        if (s.supervisedOnly() && inventory.flatMap(Inventory::supervised).map(b -> !b).orElse(false)) {
            return Optional.of(rt + " needs a supervised device; " + who + " reports it is not supervised");
        }
        if (s.requiresAutomatedEnrollment() && userEnrollment) {
            return Optional.of(rt + " needs Automated Device Enrollment; " + who + " is a User Enrollment");
        }
        return Optional.empty();
    }

    private static String channelName(Channel c) {
        return c == Channel.DEVICE ? "device channel" : "user channel";
    }

    /**
     * The parameters of one target: a macOS DeviceLock without a PIN gets a generated six-digit Find My PIN (the
     * Mac needs one to unlock; the admin reads it from the answer and the command's history).
     */
    static Map<String, Object> forTarget(CommandDescription d, Map<String, Object> params, Enrollment e, Optional<Inventory> inventory) {
        Optional<Platform> platform = e.facts().platform().or(() -> inventory.flatMap(Inventory::platform));
        if ("DeviceLock".equals(d.requestType()) && platform.orElse(null) == Platform.MACOS && !params.containsKey("PIN")
                && d.parameters().stream().anyMatch(k -> k.key().equals("PIN"))) {
            Map<String, Object> withPin = new LinkedHashMap<>(params);
            withPin.put("PIN", String.format(Locale.ROOT, "%06d", RANDOM.nextInt(1_000_000)));
            return Collections.unmodifiableMap(withPin);
        }
        return params;
    }

    static Built build(CommandType type, Map<String, Object> params, PlistCodec codec) {
        Map<String, Object> command;
        try {
            command = type.build(params);
        } catch (CommandValidationException e) {
            throw MdmException.badRequest(type.requestType() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new MdmException(500, "command type " + type.requestType() + " failed to build the command: " + e, e);
        }
        if (command == null || !type.requestType().equals(command.get("RequestType"))) {
            throw new MdmException(500, "command type " + type.requestType() + " built a command without its RequestType");
        }
        String uuid = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("CommandUUID", uuid);
        dict.put("Command", command);
        return new Built(uuid, type.requestType(), command, codec.encodeXml(dict));
    }

    // ---- JSON -> plist values, guided by the description -------------------------------------------------------

    /** @return the parameters as unmodifiable plain-Java plist values; JSON nulls are left out */
    static Map<String, Object> params(CommandDescription d, JsonNode params) {
        if (params == null || !params.isObject()) {
            return Map.of();
        }
        try {
            return JsonValues.toPlist(d.parameters(), ApiJson.MAPPER.convertValue(params, Map.class));
        } catch (PayloadValidationException e) {
            throw MdmException.badRequest(e.getMessage());
        }
    }
}
