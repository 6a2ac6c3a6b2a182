package io.verger.core.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.verger.api.EnrollmentId;
import io.verger.api.event.MdmEvents;
import io.verger.api.storage.QueuedCommand;
import io.verger.plist.PlistCodec;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * NanoMDM's {@code PUT /v1/enqueue/{id,id,…}}: a raw command plist queued for each enrollment, then pushed
 * unless {@code ?nopush=1}. The answer has NanoMDM's shape: {@code status} per id ({@code push_result},
 * {@code push_error}, {@code command_error}), {@code no_push}, {@code push_error}, {@code command_error},
 * {@code command_uuid}, {@code request_type}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/v1/enqueue/*")
public final class EnqueueServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EnqueueServlet.class);
    static final int MAX_COMMAND_BYTES = 8 * 1024 * 1024;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MdmProtocol protocol;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushDispatcher push;

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        enqueue(req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        enqueue(req, resp);
    }

    private void enqueue(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            MdmProtocol p = protocol;
            if (p == null) {
                throw MdmException.unavailable("MDM protocol engine not available");
            }
            List<EnrollmentId> ids = ids(req.getPathInfo());
            byte[] body = DeviceEndpointServlet.readBody(req, MAX_COMMAND_BYTES);
            RawCommand command = RawCommand.parse(body, PlistCodec.withDefaults());
            boolean noPush = req.getParameter("nopush") != null && !req.getParameter("nopush").isEmpty();
            Result r = enqueueAndPush(p, push, command, ids, noPush);
            ApiJson.write(resp, r.status(), r.body());
        } catch (MdmException e) {
            LOG.warn("PUT {} refused: {} {}", req.getRequestURI(), e.status(), e.getMessage());
            result.put("command_error", e.getMessage());
            ApiJson.write(resp, e.status(), result);
        }
    }

    record Result(int status, Map<String, Object> body) {
    }

    /** Queues a command for ids and pushes them; shared with the JSON API. */
    static Result enqueueAndPush(MdmProtocol p, PushDispatcher push, RawCommand command, List<EnrollmentId> ids, boolean noPush) {
        return enqueueAndPush(p, push, QueuedCommand.of(command.commandUuid(), command.requestType(), command.plist(), Instant.now()),
                ids, noPush);
    }

    /** Queues a command (with its priority and expiry) for ids and pushes them. */
    static Result enqueueAndPush(MdmProtocol p, PushDispatcher push, QueuedCommand command, List<EnrollmentId> ids, boolean noPush) {
        Instant now = command.createdAt();
        Map<String, Map<String, Object>> status = new LinkedHashMap<>();
        for (EnrollmentId id : ids) {
            status.put(id.format(), new LinkedHashMap<>());
        }
        Set<EnrollmentId> refused;
        try {
            refused = p.queue().enqueue(command, ids);
        } catch (IllegalArgumentException e) {
            throw new MdmException(409, e.getMessage());
        }
        List<EnrollmentId> queued = new ArrayList<>();
        for (EnrollmentId id : ids) {
            if (refused.contains(id)) {
                status.get(id.format()).put("command_error", "not queued: unknown or unenrolled enrollment");
            } else {
                queued.add(id);
            }
        }
        if (!queued.isEmpty()) {
            List<String> formatted = new ArrayList<>();
            queued.forEach(id -> formatted.add(id.format()));
            p.events.post(MdmEvents.COMMAND_ENQUEUED, null, now, Map.of(MdmEvents.ENROLLMENT_IDS, formatted.toArray(new String[0]),
                    MdmEvents.COMMAND_UUID, command.commandUuid(), MdmEvents.REQUEST_TYPE, command.requestType()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (noPush) {
            body.put("no_push", true);
        } else if (!queued.isEmpty()) {
            if (push == null) {
                body.put("push_error", "no push module installed (a PushProvider service, e.g. the push-apns bundle)");
            } else {
                try {
                    push.push(queued).forEach((id, o) -> {
                        if (o.error() == null) {
                            status.get(id.format()).put("push_result", o.pushId());
                        } else {
                            status.get(id.format()).put("push_error", o.error());
                        }
                    });
                } catch (PushDispatcher.NoPushProvider e) {
                    body.put("push_error", e.getMessage());
                }
            }
        }
        Map<String, Object> statusOut = new LinkedHashMap<>();
        status.forEach((k, v) -> {
            if (!v.isEmpty()) {
                statusOut.put(k, v);
            }
        });
        if (!statusOut.isEmpty()) {
            body.put("status", statusOut);
        }
        body.put("command_uuid", command.commandUuid());
        body.put("request_type", command.requestType());
        if (queued.isEmpty()) {
            body.put("command_error", "the command was queued for no enrollment");
        }
        // a push failure does not fail the call: the command is queued and is delivered at the device's next connect
        int code = queued.isEmpty() ? 404 : (queued.size() < ids.size() ? 207 : 200);
        return new Result(code, body);
    }

    static List<EnrollmentId> ids(String pathInfo) {
        if (pathInfo == null || pathInfo.length() <= 1) {
            throw MdmException.badRequest("no enrollment ids in the path (/v1/enqueue/{id,id,...})");
        }
        Set<EnrollmentId> ids = new LinkedHashSet<>();
        for (String part : pathInfo.substring(1).split(",")) {
            String s = URLDecoder.decode(part, StandardCharsets.UTF_8).trim();
            if (s.isEmpty()) {
                continue;
            }
            try {
                ids.add(EnrollmentId.parse(s));
            } catch (IllegalArgumentException e) {
                throw MdmException.badRequest("invalid enrollment id: " + e.getMessage());
            }
        }
        if (ids.isEmpty()) {
            throw MdmException.badRequest("no enrollment ids in the path");
        }
        if (ids.size() > 10_000) {
            throw MdmException.badRequest("at most 10000 enrollment ids per call");
        }
        return new ArrayList<>(ids);
    }
}
