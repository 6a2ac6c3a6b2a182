package io.verger.core.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.verger.api.CommandStatus;
import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.ErrorChainEntry;
import io.verger.api.checkin.CheckinReply;
import io.verger.api.checkin.DeclarativeManagement;
import io.verger.api.checkin.TokenService;
import io.verger.api.command.CommandReport;
import io.verger.api.command.CommandType;
import io.verger.api.event.MdmEvents;
import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.IdentityVerifier;
import io.verger.api.identity.VerifiedIdentity;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.BootstrapTokenStore;
import io.verger.api.storage.CommandQueue;
import io.verger.api.storage.CommandRecord;
import io.verger.api.storage.CommandResult;
import io.verger.api.storage.EnrollmentStore;
import io.verger.api.storage.QueuedCommand;
import io.verger.api.storage.TokenUpdate;
import io.verger.plist.PlistCodec;
import io.verger.plist.PlistException;
import io.verger.plist.PlistLimits;

/**
 * The protocol engine: Apple's check-in messages and command reports, with the queue semantics of DESIGN.md §4.
 * Transport-free: the servlets hand it an authenticated identity and the exact body; it answers a {@link Reply}
 * or throws {@link MdmException} with the status to send.
 *
 * <p>Every service it uses is a dynamic reference, so a storage, identity or plugin bundle can be replaced while
 * devices connect: a request that arrives while a mandatory service is missing gets 503 naming it.
 */
@Component(service = MdmProtocol.class, configurationPid = MdmProtocol.PID)
@Designate(ocd = MdmProtocol.Config.class)
public class MdmProtocol {

    static final String PID = "io.verger.core";
    private static final Logger LOG = LoggerFactory.getLogger(MdmProtocol.class);

    @ObjectClassDefinition(name = "Verger MDM protocol", description = "Check-in and command handling")
    @interface Config {
        @AttributeDefinition(description = "Largest check-in or report body accepted, in bytes (larger: 413)")
        int maxBodyBytes() default 16 * 1024 * 1024;

        @AttributeDefinition(description = "Accept macOS user channels (UserAuthenticate answered with an empty DigestChallenge); off: 410")
        boolean userChannels() default true;

        @AttributeDefinition(description = "How precisely 'last seen' is kept, in seconds: a device that connects again within this time "
                + "is not written again (saves one durable write per connect); 0 writes every connect")
        int lastSeenResolutionSeconds() default 30;

    }

    private volatile EnrollmentStore enrollments;
    private volatile CommandQueue queue;
    private volatile BootstrapTokenStore bootstrapTokens;
    private volatile IdentityVerifier identities;
    private volatile DeclarativeManagement declarativeManagement;
    private final Map<ServiceReference<TokenService>, TokenService> tokenServices = new ConcurrentHashMap<>();
    /** Installed command types by service id; for a RequestType the highest service.ranking wins (then the lowest id). */
    private final Map<Long, RankedType> commandTypes = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong localIds = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

    record RankedType(CommandType type, int ranking, long serviceId) {
    }
    final MdmEventPublisher events = new MdmEventPublisher();

    private volatile Clock clock = Clock.systemUTC();
    private volatile PlistCodec codec = PlistCodec.withDefaults();
    private volatile boolean userChannels = true;
    private volatile int maxBodyBytes = 16 * 1024 * 1024;
    /** Last-seen times, written behind in batches by {@link #lastSeenFlusher} about once a second. */
    final LastSeenRecorder lastSeen = new LastSeenRecorder(this::enrollments);
    private ScheduledExecutorService lastSeenFlusher;
    static final long LAST_SEEN_FLUSH_MILLIS = 1000;
    /**
     * The request type of each command this node handed to a device, until the device reports on it: the report then
     * needs no query to find out which command type handles the result. A report that reaches another node (or comes
     * after a restart) is looked up in the queue as before. Bounded.
     */
    private final ConcurrentHashMap<String, String> deliveredTypes = new ConcurrentHashMap<>();
    static final int DELIVERED_CACHE_LIMIT = 100_000;

    @Activate
    @Modified
    void configure(Config config) {
        this.maxBodyBytes = Math.max(1024, config.maxBodyBytes());
        this.userChannels = config.userChannels();
        this.codec = PlistCodec.withLimits(PlistLimits.defaults().withMaxInputBytes(maxBodyBytes));
        lastSeen.setResolutionMillis(Math.max(0, config.lastSeenResolutionSeconds()) * 1000L);
        events.gate(); // active under DS: every EventHandler is bound (bindEventHandler), so unwanted events are not posted
        synchronized (this) {
            if (lastSeenFlusher == null) {
                lastSeenFlusher = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "verger-last-seen");
                    t.setDaemon(true);
                    return t;
                });
                lastSeenFlusher.scheduleWithFixedDelay(lastSeen::flush, LAST_SEEN_FLUSH_MILLIS, LAST_SEEN_FLUSH_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService flusher;
        synchronized (this) {
            flusher = lastSeenFlusher;
            lastSeenFlusher = null;
        }
        if (flusher != null) {
            flusher.shutdown();
            try {
                flusher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int written = lastSeen.flush(); // what is still queued, while the store may still be bound
        if (lastSeen.queued() > 0) {
            LOG.warn("{} last-seen time(s) not written at shutdown", lastSeen.queued());
        } else if (written > 0) {
            LOG.debug("wrote {} last-seen time(s) at shutdown", written);
        }
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    void setLastSeenResolution(java.time.Duration resolution) {
        lastSeen.setResolutionMillis(resolution.toMillis());
    }

    void setClock(Clock clock) {
        this.clock = clock;
    }

    // ---- check-in ----------------------------------------------------------------------------------------

    /** Handles a check-in message (CheckInURL, or ServerURL with the check-in content type). */
    Reply checkin(VerifiedIdentity identity, byte[] body) {
        Map<String, Object> message = decode(body);
        Object type = message.get("MessageType");
        if (!(type instanceof String messageType) || messageType.isEmpty()) {
            throw MdmException.badRequest("check-in message without MessageType");
        }
        if (!MdmEvents.CHECKIN_MESSAGE_TYPES.contains(messageType)) {
            throw MdmException.badRequest("unknown check-in MessageType '" + messageType + "'");
        }
        EnrollmentId id = DeviceMessages.enrollmentId(message);
        if ("Authenticate".equals(messageType) && id.isUserChannel()) {
            throw MdmException.badRequest("Authenticate is sent on the device channel; got user channel " + id.format());
        }
        Instant now = clock.instant();
        authorize(identity, id, "Authenticate".equals(messageType));

        Reply reply = switch (messageType) {
            case "Authenticate" -> authenticate(id, message, now);
            case "TokenUpdate" -> tokenUpdate(id, message, now);
            case "CheckOut" -> checkOut(id, now);
            case "UserAuthenticate" -> userAuthenticate(id, message);
            case "SetBootstrapToken" -> setBootstrapToken(id, message);
            case "GetBootstrapToken" -> getBootstrapToken(id);
            case "DeclarativeManagement" -> declarativeManagement(id, message);
            case "GetToken" -> getToken(id, message);
            default -> throw MdmException.badRequest("unknown check-in MessageType '" + messageType + "'");
        };
        if ("TokenUpdate".equals(messageType)) {
            lastSeen.recorded(id, now.toEpochMilli()); // the TokenUpdate itself set last_seen_at
        } else if (!"Authenticate".equals(messageType) && !"CheckOut".equals(messageType)) {
            lastSeen.seen(id, now);
        }
        Map<String, Object> props = new HashMap<>();
        props.put(MdmEvents.MESSAGE_TYPE, messageType);
        if (!"SetBootstrapToken".equals(messageType)) {
            props.put(MdmEvents.RAW_PLIST, body);
        }
        events.post(MdmEvents.checkinTopic(messageType), id, now, props);
        return reply;
    }

    private Reply authenticate(EnrollmentId id, Map<String, Object> message, Instant now) {
        EnrollmentType type = DeviceMessages.isUserEnrollment(message) ? EnrollmentType.USER_ENROLLMENT : EnrollmentType.DEVICE;
        EnrollmentStore store = enrollments();
        boolean known = store.find(id).isPresent();
        List<io.verger.api.storage.Enrollment> users = known ? store.userChannels(id) : List.of();
        store.authenticate(id, type, DeviceMessages.facts(message), now);
        if (known) {
            // a re-enrollment starts from a clean slate: the old queue was meant for the old enrollment
            CommandQueue q = queue();
            int cleared = q.clear(id, now);
            for (io.verger.api.storage.Enrollment user : users) {
                cleared += q.clear(user.id(), now);
            }
            if (cleared > 0) {
                LOG.info("Re-enrollment of {} cleared {} queued command(s)", id.format(), cleared);
            }
        }
        return Reply.empty();
    }

    private Reply tokenUpdate(EnrollmentId id, Map<String, Object> message, Instant now) {
        byte[] token = DeviceMessages.data(message, "Token");
        String pushMagic = DeviceMessages.string(message, "PushMagic");
        String topic = DeviceMessages.string(message, "Topic");
        if (token == null || token.length == 0 || pushMagic == null || topic == null) {
            throw MdmException.badRequest("TokenUpdate from " + id.format() + " lacks Token, PushMagic or Topic");
        }
        TokenUpdate update = new TokenUpdate(new PushTarget(id, token, pushMagic, topic), DeviceMessages.data(message, "UnlockToken"),
                DeviceMessages.bool(message, "AwaitingConfiguration"), DeviceMessages.string(message, "UserShortName"),
                DeviceMessages.string(message, "UserLongName"), now);
        boolean enrolled;
        try {
            enrolled = enrollments().tokenUpdate(update);
        } catch (IllegalStateException e) {
            throw MdmException.badRequest(e.getMessage());
        }
        if (enrolled) {
            LOG.info("{} enrolled", id.format());
            events.post(MdmEvents.ENROLLMENT_ENROLLED, id, now, Map.of());
        }
        return Reply.empty();
    }

    private Reply checkOut(EnrollmentId id, Instant now) {
        if (enrollments().disable(id)) {
            LOG.info("{} checked out", id.format());
            events.post(MdmEvents.ENROLLMENT_UNENROLLED, id, now, Map.of(MdmEvents.REASON, "CheckOut"));
        }
        return Reply.empty();
    }

    private Reply userAuthenticate(EnrollmentId id, Map<String, Object> message) {
        if (!userChannels) {
            return Reply.text(410, "user channels are not accepted by this server");
        }
        if (DeviceMessages.string(message, "DigestResponse") == null) {
            // an empty DigestChallenge accepts the user without a digest exchange (Apple's documented option)
            Map<String, Object> challenge = new LinkedHashMap<>();
            challenge.put("DigestChallenge", "");
            return Reply.plist(codec.encodeXml(challenge));
        }
        return Reply.empty();
    }

    private Reply setBootstrapToken(EnrollmentId id, Map<String, Object> message) {
        EnrollmentId device = id.deviceChannel();
        byte[] token = DeviceMessages.data(message, "BootstrapToken");
        BootstrapTokenStore store = bootstrapTokens();
        if (token == null || token.length == 0) {
            store.delete(device);
        } else {
            store.store(device, token);
        }
        return Reply.empty();
    }

    private Reply getBootstrapToken(EnrollmentId id) {
        Optional<byte[]> token = bootstrapTokens().find(id.deviceChannel());
        if (token.isEmpty()) {
            return Reply.empty();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("BootstrapToken", token.get());
        return Reply.plist(codec.encodeXml(answer));
    }

    private Reply declarativeManagement(EnrollmentId id, Map<String, Object> message) {
        DeclarativeManagement ddm = declarativeManagement;
        if (ddm == null) {
            return Reply.text(501, "Declarative Device Management is not supported: no DeclarativeManagement module is installed");
        }
        String endpoint = DeviceMessages.requiredString(message, "Endpoint", "DeclarativeManagement");
        byte[] data = DeviceMessages.data(message, "Data");
        try {
            CheckinReply r = ddm.handle(id, endpoint, data == null ? new byte[0] : data);
            return new Reply(r.status(), r.contentType(), r.body());
        } catch (IllegalArgumentException e) {
            throw MdmException.badRequest("DeclarativeManagement " + endpoint + ": " + e.getMessage());
        }
    }

    private Reply getToken(EnrollmentId id, Map<String, Object> message) {
        String serviceType = DeviceMessages.requiredString(message, "TokenServiceType", "GetToken");
        TokenService service = null;
        for (Map.Entry<ServiceReference<TokenService>, TokenService> e : tokenServices.entrySet()) {
            if (serviceType.equals(String.valueOf(e.getKey().getProperty(TokenService.SERVICE_TYPE)))) {
                service = e.getValue();
                break;
            }
        }
        if (service == null) {
            return Reply.text(501, "GetToken for " + serviceType + " is not supported: no token service for it is installed");
        }
        try {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("TokenData", service.token(id, message));
            return Reply.plist(codec.encodeXml(answer));
        } catch (IllegalArgumentException e) {
            throw MdmException.badRequest("GetToken " + serviceType + ": " + e.getMessage());
        }
    }

    // ---- command reports ---------------------------------------------------------------------------------

    /** Handles a command report on ServerURL and answers the next command, or an empty 200 when none is due. */
    Reply report(VerifiedIdentity identity, byte[] body) {
        Map<String, Object> message = decode(body);
        Object statusValue = message.get("Status");
        if (!(statusValue instanceof String statusName)) {
            throw MdmException.badRequest("command report without Status");
        }
        CommandStatus status;
        try {
            status = CommandStatus.of(statusName);
        } catch (IllegalArgumentException e) {
            throw MdmException.badRequest(e.getMessage());
        }
        EnrollmentId id = DeviceMessages.enrollmentId(message);
        authorize(identity, id, false);
        Instant now = clock.instant();
        enrollments(); // 503 when no enrollment store is installed, before anything is stored
        CommandQueue q = queue();

        if (status != CommandStatus.IDLE) {
            String uuid = DeviceMessages.string(message, "CommandUUID");
            if (uuid == null) {
                throw MdmException.badRequest(statusName + " report from " + id.format() + " without CommandUUID");
            }
            List<ErrorChainEntry> errorChain = message.get("ErrorChain") instanceof List<?> l ? ErrorChainEntry.fromPlist(l) : List.of();
            CommandResult result = new CommandResult(id, uuid, status, body, errorChain, now);
            String delivered = status == CommandStatus.NOT_NOW ? deliveredTypes.get(deliveredKey(id, uuid))
                    : deliveredTypes.remove(deliveredKey(id, uuid));
            String[] type = new String[1];
            // the command type handles the result in the report's transaction where the store can (one durable commit
            // for the result and, say, the inventory merged from it); the event goes out after it
            boolean known = q.report(result, stored -> {
                if (!stored) {
                    return;
                }
                type[0] = delivered != null ? delivered
                        : q.find(id, uuid).map(CommandRecord::command).map(QueuedCommand::requestType).orElse(null);
                if (type[0] != null && status != CommandStatus.NOT_NOW) {
                    handleResult(new CommandReport(id, uuid, type[0], status, message, errorChain, now));
                }
            });
            String requestType = type[0];
            if (!known) {
                LOG.warn("{} reported {} for unknown command {}", id.format(), statusName, uuid);
            }
            Map<String, Object> props = new HashMap<>();
            props.put(MdmEvents.COMMAND_UUID, uuid);
            props.put(MdmEvents.STATUS, statusName);
            props.put(MdmEvents.RAW_PLIST, body);
            if (requestType != null) {
                props.put(MdmEvents.REQUEST_TYPE, requestType);
            }
            events.post(MdmEvents.commandTopic(status), id, now, props);
        } else {
            events.post(MdmEvents.COMMAND_IDLE, id, now, Map.of(MdmEvents.STATUS, statusName));
        }
        lastSeen.seen(id, now);
        // Idle starts a session and may retry what was NotNow'd; after any other report, NotNow'd commands wait
        Optional<QueuedCommand> next = q.next(id, status != CommandStatus.IDLE, now);
        next.ifPresent(command -> {
            if (deliveredTypes.size() >= DELIVERED_CACHE_LIMIT) {
                deliveredTypes.clear();
            }
            deliveredTypes.put(deliveredKey(id, command.commandUuid()), command.requestType());
        });
        return next.map(c -> Reply.plist(c.plist())).orElseGet(Reply::empty);
    }

    private static String deliveredKey(EnrollmentId id, String commandUuid) {
        return id.format() + '\n' + commandUuid;
    }

    private void handleResult(CommandReport report) {
        Optional<CommandType> match = commandType(report.requestType());
        if (match.isEmpty()) {
            return;
        }
        CommandType type = match.get();
        try {
            type.handleResult(report);
        } catch (RuntimeException e) {
            LOG.warn("Command type {} failed to handle the result of {} from {}: {}", report.requestType(), report.commandUuid(),
                    report.enrollmentId().format(), e.toString());
            events.post(MdmEvents.COMMAND_HANDLER_FAILED, report.enrollmentId(), report.receivedAt(),
                    Map.of(MdmEvents.COMMAND_UUID, report.commandUuid(), MdmEvents.REQUEST_TYPE, report.requestType(),
                            MdmEvents.REASON, e.toString()));
        }
    }

    /**
     * @param requestType a RequestType
     * @return the installed command type for it with the highest {@code service.ranking} (then the lowest service
     *         id), skipping a type that fails to name itself; empty when none is installed
     */
    Optional<CommandType> commandType(String requestType) {
        RankedType best = null;
        for (RankedType r : commandTypes.values()) {
            String rt;
            try {
                rt = r.type().requestType();
            } catch (RuntimeException e) {
                continue;
            }
            if (requestType.equals(rt) && (best == null || r.ranking() > best.ranking()
                    || (r.ranking() == best.ranking() && r.serviceId() < best.serviceId()))) {
                best = r;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.type());
    }

    // ---- shared ------------------------------------------------------------------------------------------

    private void authorize(VerifiedIdentity identity, EnrollmentId id, boolean bind) {
        IdentityVerifier verifier = identities();
        try {
            if (bind) {
                verifier.bind(identity, id.deviceChannel());
            } else {
                verifier.checkBinding(identity, id);
            }
        } catch (IdentityVerificationException e) {
            LOG.warn("Refused {} for {}: {}", bind ? "Authenticate" : "request", id.format(), e.getMessage());
            events.post(MdmEvents.ENROLLMENT_IDENTITY_REJECTED, id, clock.instant(),
                    Map.of(MdmEvents.REASON, e.reason().name() + ": " + e.getMessage()));
            throw new MdmException(403, "identity not allowed for " + id.format() + ": " + e.reason(), e);
        }
    }

    Map<String, Object> decode(byte[] body) {
        if (body.length == 0) {
            throw MdmException.badRequest("empty body");
        }
        try {
            return codec.decodeDictionary(body);
        } catch (PlistException e) {
            throw MdmException.badRequest("malformed plist: " + e.getMessage());
        }
    }

    EnrollmentStore enrollments() {
        EnrollmentStore s = enrollments;
        if (s == null) {
            throw MdmException.unavailable("no EnrollmentStore installed (storage module missing)");
        }
        return s;
    }

    CommandQueue queue() {
        CommandQueue s = queue;
        if (s == null) {
            throw MdmException.unavailable("no CommandQueue installed (storage module missing)");
        }
        return s;
    }

    BootstrapTokenStore bootstrapTokens() {
        BootstrapTokenStore s = bootstrapTokens;
        if (s == null) {
            throw MdmException.unavailable("no BootstrapTokenStore installed (storage module missing)");
        }
        return s;
    }

    IdentityVerifier identities() {
        IdentityVerifier s = identities;
        if (s == null) {
            throw MdmException.unavailable("no IdentityVerifier installed (identity module missing)");
        }
        return s;
    }

    // ---- references (dynamic: modules may come and go while devices connect) ------------------------------

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEnrollmentStore(EnrollmentStore s) {
        this.enrollments = s;
    }

    void unsetEnrollmentStore(EnrollmentStore s) {
        if (this.enrollments == s) {
            this.enrollments = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setCommandQueue(CommandQueue s) {
        this.queue = s;
    }

    void unsetCommandQueue(CommandQueue s) {
        if (this.queue == s) {
            this.queue = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setBootstrapTokenStore(BootstrapTokenStore s) {
        this.bootstrapTokens = s;
    }

    void unsetBootstrapTokenStore(BootstrapTokenStore s) {
        if (this.bootstrapTokens == s) {
            this.bootstrapTokens = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setIdentityVerifier(IdentityVerifier s) {
        this.identities = s;
    }

    void unsetIdentityVerifier(IdentityVerifier s) {
        if (this.identities == s) {
            this.identities = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setDeclarativeManagement(DeclarativeManagement s) {
        this.declarativeManagement = s;
    }

    void unsetDeclarativeManagement(DeclarativeManagement s) {
        if (this.declarativeManagement == s) {
            this.declarativeManagement = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addTokenService(TokenService s, ServiceReference<TokenService> ref) {
        tokenServices.put(ref, s);
    }

    void removeTokenService(TokenService s, ServiceReference<TokenService> ref) {
        tokenServices.remove(ref);
    }

    @Reference(name = "commandType", service = CommandType.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindCommandType", updated = "updatedCommandType")
    void bindCommandType(CommandType t, Map<String, Object> props) {
        long id = props.get(org.osgi.framework.Constants.SERVICE_ID) instanceof Long l ? l : localIds.incrementAndGet();
        int ranking = props.get(org.osgi.framework.Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
        commandTypes.put(id, new RankedType(t, ranking, id));
    }

    void updatedCommandType(CommandType t, Map<String, Object> props) {
        bindCommandType(t, props);
    }

    void unbindCommandType(CommandType t, Map<String, Object> props) {
        if (props.get(org.osgi.framework.Constants.SERVICE_ID) instanceof Long l) {
            commandTypes.remove(l);
        } else {
            commandTypes.values().removeIf(r -> r.type() == t);
        }
    }

    /** Adds a command type with ranking 0 (tests, and callers outside the service registry). */
    void addCommandType(CommandType t) {
        bindCommandType(t, Map.of());
    }

    void removeCommandType(CommandType t) {
        commandTypes.values().removeIf(r -> r.type() == t);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin admin) {
        events.setEventAdmin(admin);
    }

    void unsetEventAdmin(EventAdmin admin) {
        events.unsetEventAdmin(admin);
    }

    /** Every EventHandler's topics and filter (its service properties only: the handler itself is not fetched). */
    @Reference(name = "eventHandler", service = EventHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindEventHandler", updated = "updatedEventHandler")
    void bindEventHandler(ServiceReference<EventHandler> ref) {
        Map<String, Object> props = new HashMap<>();
        for (String key : ref.getPropertyKeys()) {
            props.put(key, ref.getProperty(key));
        }
        events.handler(ref, props);
    }

    void updatedEventHandler(ServiceReference<EventHandler> ref) {
        bindEventHandler(ref);
    }

    void unbindEventHandler(ServiceReference<EventHandler> ref) {
        events.handlerGone(ref);
    }
}
