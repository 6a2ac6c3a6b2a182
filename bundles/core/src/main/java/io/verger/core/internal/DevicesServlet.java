package io.verger.core.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.api.EnrollmentId;
import io.verger.api.Platform;
import io.verger.api.event.MdmEvents;
import io.verger.api.storage.CommandRecord;
import io.verger.api.storage.CommandResult;
import io.verger.api.storage.DeviceFacts;
import io.verger.api.storage.Enrollment;
import io.verger.api.storage.EnrollmentFilter;
import io.verger.api.storage.Inventory;
import io.verger.api.storage.InventoryStore;
import io.verger.api.storage.QueuedCommand;
import io.verger.plist.PlistCodec;
import io.verger.plist.PlistException;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The JSON device API:
 * <ul>
 * <li>{@code GET /api/v1/devices?enabled=&platform=&seenSince=&seenBefore=&after=&limit=} — paged enrollments</li>
 * <li>{@code GET /api/v1/devices/{id}} — one enrollment: facts, last seen, channels</li>
 * <li>{@code GET /api/v1/devices/{id}/commands?limit=} — its queue and history, results as JSON</li>
 * <li>{@code GET /api/v1/devices/{id}/inventory} — the latest reported inventory (DeviceInformation, SecurityInfo, ...)</li>
 * <li>{@code POST /api/v1/devices/{id}/commands} — {@code {"requestType": "DeviceLock", "params": {...}, "force"?,
 * "priority"?, "ttlSeconds"?}} (typed, validated, checked against the device) or {@code {"plist": "<raw command
 * plist>"}}: queue and push</li>
 * <li>{@code DELETE /api/v1/devices/{id}/commands/{uuid}} — cancel a queued command</li>
 * </ul>
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/v1/devices", "/api/v1/devices/*"})
public final class DevicesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DevicesServlet.class);
    static final int MAX_PAGE = 1000;
    static final int DEFAULT_PAGE = 100;
    static final int MAX_JSON_BYTES = 8 * 1024 * 1024;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MdmProtocol protocol;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushDispatcher push;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile InventoryStore inventory;

    private record Path(EnrollmentId id, String sub, String uuid) {
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            MdmProtocol p = protocol();
            Path path = path(req);
            if (path == null) {
                ApiJson.write(resp, 200, list(p, req));
            } else if (path.sub() == null) {
                ApiJson.write(resp, 200, device(p, path.id()));
            } else if ("inventory".equals(path.sub()) && path.uuid() == null) {
                ApiJson.write(resp, 200, inventory(p, path.id()));
            } else if ("commands".equals(path.sub()) && path.uuid() == null) {
                ApiJson.write(resp, 200, commands(p, path.id(), intParam(req, "limit", DEFAULT_PAGE)));
            } else if ("commands".equals(path.sub())) {
                CommandRecord r = p.queue().find(path.id(), path.uuid())
                        .orElseThrow(() -> new MdmException(404, "no command " + path.uuid() + " for " + path.id().format()));
                ApiJson.write(resp, 200, command(r));
            } else {
                throw new MdmException(404, "no endpoint GET " + req.getRequestURI());
            }
        } catch (MdmException e) {
            ApiJson.error(resp, e.status(), e.getMessage());
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            MdmProtocol p = protocol();
            Path path = path(req);
            if (path == null || !"commands".equals(path.sub()) || path.uuid() != null) {
                throw new MdmException(404, "no endpoint POST " + req.getRequestURI() + " (POST /api/v1/devices/{id}/commands)");
            }
            requireDevice(p, path.id());
            byte[] body = DeviceEndpointServlet.readBody(req, MAX_JSON_BYTES);
            JsonNode json;
            try {
                json = ApiJson.MAPPER.readTree(body);
            } catch (IOException e) {
                throw MdmException.badRequest("body is not JSON: " + e.getMessage());
            }
            boolean noPush = json != null && json.path("nopush").asBoolean(false) || req.getParameter("nopush") != null;
            if (json != null && json.isObject() && json.has("requestType") && !json.has("plist")) {
                CommandsServlet.Outcome o = CommandsServlet.enqueue(p, push, inventory, TypedCommands.Request.parse(json),
                        List.of(path.id()), noPush, true);
                @SuppressWarnings("unchecked")
                Map<String, Object> c = ((List<Map<String, Object>>) o.body().get("commands")).get(0);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("commandUuid", c.get("commandUuid"));
                out.put("requestType", o.body().get("requestType"));
                if (c.containsKey("pin")) {
                    out.put("pin", c.get("pin"));
                }
                if (o.body().containsKey("forced")) {
                    out.put("forced", o.body().get("forced"));
                }
                out.put("enqueue", c.get("enqueue"));
                ApiJson.write(resp, o.status() == 207 ? 201 : o.status(), out);
                return;
            }
            if (json == null || !json.isObject() || !json.path("plist").isTextual()) {
                throw MdmException.badRequest("expected {\"requestType\": \"...\", \"params\": {...}} or {\"plist\": \"<raw command plist>\"}");
            }
            RawCommand command = RawCommand.parse(json.get("plist").asText().getBytes(StandardCharsets.UTF_8), PlistCodec.withDefaults());
            EnqueueServlet.Result r = EnqueueServlet.enqueueAndPush(p, push, command, List.of(path.id()), noPush);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("commandUuid", command.commandUuid());
            out.put("requestType", command.requestType());
            out.put("enqueue", r.body());
            ApiJson.write(resp, r.status() == 200 ? 201 : r.status(), out);
        } catch (MdmException e) {
            ApiJson.error(resp, e.status(), e.getMessage());
        }
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            MdmProtocol p = protocol();
            Path path = path(req);
            if (path == null || !"commands".equals(path.sub()) || path.uuid() == null) {
                throw new MdmException(404, "no endpoint DELETE " + req.getRequestURI() + " (DELETE /api/v1/devices/{id}/commands/{uuid})");
            }
            Instant now = Instant.now();
            if (p.queue().cancel(path.id(), path.uuid(), now)) {
                LOG.info("Command {} of {} cancelled", path.uuid(), path.id().format());
                p.events.post(MdmEvents.COMMAND_CANCELLED, path.id(), now, Map.of(MdmEvents.COMMAND_UUID, path.uuid()));
                resp.setStatus(204);
                return;
            }
            Optional<CommandRecord> r = p.queue().find(path.id(), path.uuid());
            if (r.isEmpty()) {
                throw new MdmException(404, "no command " + path.uuid() + " for " + path.id().format());
            }
            throw new MdmException(409, "command " + path.uuid() + " is " + r.get().state() + ", not pending; it cannot be cancelled");
        } catch (MdmException e) {
            ApiJson.error(resp, e.status(), e.getMessage());
        }
    }

    private MdmProtocol protocol() {
        MdmProtocol p = protocol;
        if (p == null) {
            throw MdmException.unavailable("MDM protocol engine not available");
        }
        return p;
    }

    private static Path path(HttpServletRequest req) {
        String info = req.getPathInfo();
        if (info == null || info.equals("/") || info.isEmpty()) {
            return null;
        }
        String[] parts = info.substring(1).split("/", -1);
        if (parts.length > 3 || parts[0].isEmpty()) {
            throw new MdmException(404, "no endpoint " + req.getRequestURI());
        }
        EnrollmentId id;
        try {
            id = EnrollmentId.parse(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw MdmException.badRequest("invalid enrollment id: " + e.getMessage());
        }
        String sub = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null;
        String uuid = parts.length > 2 && !parts[2].isEmpty() ? URLDecoder.decode(parts[2], StandardCharsets.UTF_8) : null;
        return new Path(id, sub, uuid);
    }

    private static Map<String, Object> list(MdmProtocol p, HttpServletRequest req) {
        EnrollmentFilter filter = EnrollmentFilter.ALL;
        String enabled = req.getParameter("enabled");
        if (enabled == null) {
            enabled = req.getParameter("enrolled");
        }
        if (enabled != null) {
            if (!enabled.equals("true") && !enabled.equals("false")) {
                throw MdmException.badRequest("enabled must be true or false");
            }
            filter = filter.withEnabled(Boolean.parseBoolean(enabled));
        }
        String platform = req.getParameter("platform");
        if (platform != null) {
            try {
                filter = filter.withPlatform(Platform.of(platform));
            } catch (IllegalArgumentException e) {
                throw MdmException.badRequest(e.getMessage());
            }
        }
        filter = filter.withSeenSince(instantParam(req, "seenSince")).withSeenBefore(instantParam(req, "seenBefore"));
        if ("true".equals(req.getParameter("deviceOnly"))) {
            filter = filter.withDeviceOnly(true);
        }
        int limit = intParam(req, "limit", DEFAULT_PAGE);
        if (limit < 1 || limit > MAX_PAGE) {
            throw MdmException.badRequest("limit must be between 1 and " + MAX_PAGE);
        }
        EnrollmentId after = null;
        if (req.getParameter("after") != null) {
            try {
                after = EnrollmentId.parse(req.getParameter("after"));
            } catch (IllegalArgumentException e) {
                throw MdmException.badRequest("after: " + e.getMessage());
            }
        }
        List<Enrollment> page = p.enrollments().list(filter, after, limit);
        List<Map<String, Object>> devices = new ArrayList<>();
        page.forEach(e -> devices.add(enrollment(e)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", p.enrollments().count(filter));
        out.put("devices", devices);
        if (page.size() == limit) {
            out.put("next", page.get(page.size() - 1).id().format());
        }
        return out;
    }

    private static Enrollment requireDevice(MdmProtocol p, EnrollmentId id) {
        return p.enrollments().find(id).orElseThrow(() -> new MdmException(404, "no enrollment " + id.format()));
    }

    private static Map<String, Object> device(MdmProtocol p, EnrollmentId id) {
        Enrollment e = requireDevice(p, id);
        Map<String, Object> out = enrollment(e);
        if (!id.isUserChannel()) {
            List<Map<String, Object>> users = new ArrayList<>();
            p.enrollments().userChannels(id).forEach(u -> users.add(enrollment(u)));
            out.put("userChannels", users);
        }
        return out;
    }

    static Map<String, Object> enrollment(Enrollment e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id().format());
        out.put("deviceId", e.id().deviceId());
        out.put("channel", e.id().channel().name());
        out.put("type", e.type().name());
        out.put("enabled", e.enabled());
        out.put("enrollmentComplete", e.tokenUpdates() > 0);
        out.put("tokenUpdates", e.tokenUpdates());
        out.put("awaitingConfiguration", e.awaitingConfiguration());
        out.put("enrolledAt", e.enrolledAt().toString());
        out.put("lastSeenAt", e.lastSeenAt().toString());
        if (e.topic() != null) {
            out.put("topic", e.topic());
        }
        if (e.userShortName() != null) {
            out.put("userShortName", e.userShortName());
        }
        if (e.userLongName() != null) {
            out.put("userLongName", e.userLongName());
        }
        DeviceFacts f = e.facts();
        Map<String, Object> facts = new LinkedHashMap<>();
        put(facts, "serialNumber", f.serialNumber());
        put(facts, "model", f.model());
        put(facts, "modelName", f.modelName());
        put(facts, "productName", f.productName());
        put(facts, "osVersion", f.osVersion());
        put(facts, "buildVersion", f.buildVersion());
        put(facts, "deviceName", f.deviceName());
        put(facts, "imei", f.imei());
        put(facts, "meid", f.meid());
        f.platform().ifPresent(pl -> facts.put("platform", pl.schemaName()));
        out.put("facts", facts);
        return out;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static Map<String, Object> commands(MdmProtocol p, EnrollmentId id, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw MdmException.badRequest("limit must be between 1 and " + MAX_PAGE);
        }
        requireDevice(p, id);
        Instant now = Instant.now();
        List<Map<String, Object>> pending = new ArrayList<>();
        for (QueuedCommand c : p.queue().pending(id, now)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("commandUuid", c.commandUuid());
            m.put("requestType", c.requestType());
            m.put("priority", c.priority());
            m.put("createdAt", c.createdAt().toString());
            if (c.expiresAt() != null) {
                m.put("expiresAt", c.expiresAt().toString());
            }
            pending.add(m);
        }
        List<Map<String, Object>> history = new ArrayList<>();
        p.queue().history(id, limit).forEach(r -> history.add(command(r)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id.format());
        out.put("pending", pending);
        out.put("history", history);
        return out;
    }

    private Map<String, Object> inventory(MdmProtocol p, EnrollmentId id) {
        requireDevice(p, id);
        InventoryStore store = inventory;
        if (store == null) {
            throw MdmException.unavailable("no InventoryStore installed (storage module missing)");
        }
        Optional<Inventory> inv = store.find(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id.deviceChannel().format());
        out.put("updatedAt", inv.map(i -> i.updatedAt().toString()).orElse(null));
        Map<String, Object> values = new java.util.TreeMap<>();
        inv.ifPresent(i -> i.values().forEach((k, v) -> values.put(k, ApiJson.fromPlist(v))));
        out.put("values", values);
        return out;
    }

    static Map<String, Object> command(CommandRecord r) {
        QueuedCommand c = r.command();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commandUuid", c.commandUuid());
        m.put("requestType", c.requestType());
        if ("DeviceLock".equals(c.requestType()) || "EraseDevice".equals(c.requestType())) {
            // the Find My PIN unlocks the Mac: admins need to read it back
            try {
                if (PlistCodec.withDefaults().decodeDictionary(c.plist()).get("Command") instanceof Map<?, ?> cmd
                        && TypedCommands.pinOf(cmd) != null) {
                    m.put("pin", TypedCommands.pinOf(cmd));
                }
            } catch (PlistException e) {
                LOG.debug("Command {} has no readable plist: {}", c.commandUuid(), e.getMessage());
            }
        }
        m.put("state", r.state().name());
        m.put("createdAt", c.createdAt().toString());
        m.put("updatedAt", r.updatedAt().toString());
        if (c.expiresAt() != null) {
            m.put("expiresAt", c.expiresAt().toString());
        }
        CommandResult res = r.lastResult();
        if (res != null) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("status", res.status().appleName());
            result.put("receivedAt", res.receivedAt().toString());
            if (!res.errorChain().isEmpty()) {
                result.put("errorChain", res.errorChain());
            }
            try {
                result.put("response", ApiJson.fromPlist(PlistCodec.withDefaults().decode(res.plist())));
            } catch (PlistException e) {
                result.put("response", null);
                result.put("responseError", e.getMessage());
            }
            m.put("result", result);
        }
        return m;
    }

    private static int intParam(HttpServletRequest req, String name, int dflt) {
        String v = req.getParameter(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw MdmException.badRequest(name + " must be an integer");
        }
    }

    private static Instant instantParam(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw MdmException.badRequest(name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
