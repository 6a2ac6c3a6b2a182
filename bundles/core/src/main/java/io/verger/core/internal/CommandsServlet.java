package io.verger.core.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
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
import io.verger.api.command.CommandDescription;
import io.verger.api.command.CommandType;
import io.verger.api.storage.Enrollment;
import io.verger.api.storage.Inventory;
import io.verger.api.storage.InventoryStore;
import io.verger.plist.PlistCodec;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/v1/commands}: one command by RequestType for many enrollments, named ({@code "ids": [...]}) or
 * by a device filter ({@code "filter": {...}}, as {@code POST /api/v1/push}):
 * {@code {"requestType": "DeviceLock", "params": {...}, "ids": [...], "force": false, "priority": 0,
 * "ttlSeconds": 3600, "nopush": false}}. 201 with the CommandUUIDs; enrollments that cannot run the command are
 * listed under {@code refused} with the reason (422 when none can); 400 naming the invalid parameter; 422 when the
 * command type is not installed.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/commands")
public final class CommandsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CommandsServlet.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MdmProtocol protocol;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushDispatcher push;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile InventoryStore inventory;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            MdmProtocol p = protocol;
            if (p == null) {
                throw MdmException.unavailable("MDM protocol engine not available");
            }
            JsonNode body;
            try {
                body = ApiJson.MAPPER.readTree(DeviceEndpointServlet.readBody(req, 16 * 1024 * 1024));
            } catch (IOException e) {
                throw MdmException.badRequest("body is not JSON: " + e.getMessage());
            }
            TypedCommands.Request r = TypedCommands.Request.parse(body);
            if (!body.has("ids") && !body.has("filter")) {
                throw MdmException.badRequest("expected \"ids\": [...] or \"filter\": {...} naming the enrollments");
            }
            List<EnrollmentId> ids = body.has("ids") ? PushApiServlet.ids(body.get("ids")) : PushApiServlet.matching(p, body.get("filter"));
            boolean noPush = body.path("nopush").asBoolean(false) || req.getParameter("nopush") != null;
            Outcome o = enqueue(p, push, inventory, r, ids, noPush, false);
            ApiJson.write(resp, o.status(), o.body());
        } catch (MdmException e) {
            ApiJson.error(resp, e.status(), e.getMessage());
        }
    }

    record Outcome(int status, Map<String, Object> body) {
    }

    /**
     * Builds, checks, queues and pushes a typed command for enrollments. With {@code single}, an enrollment that
     * cannot run the command fails the call (422) instead of being listed.
     */
    static Outcome enqueue(MdmProtocol p, PushDispatcher push, InventoryStore inventory, TypedCommands.Request r,
            List<EnrollmentId> ids, boolean noPush, boolean single) {
        CommandType type = TypedCommands.requireType(p, r.requestType());
        CommandDescription d = TypedCommands.describe(type);
        PlistCodec codec = PlistCodec.withDefaults();
        Map<String, Object> params = TypedCommands.params(d, r.params());
        TypedCommands.build(type, params, codec); // 400 before anything else, whatever the targets

        Map<String, String> refused = new LinkedHashMap<>();
        Map<String, String> forced = new LinkedHashMap<>();
        // targets whose parameters are the same object share one command; a generated PIN makes its own
        Map<Map<String, Object>, List<EnrollmentId>> groups = new IdentityHashMap<>();
        List<Map<String, Object>> order = new ArrayList<>();
        for (EnrollmentId id : ids) {
            Optional<Enrollment> e = p.enrollments().find(id);
            if (e.isEmpty()) {
                if (single) {
                    throw new MdmException(404, "no enrollment " + id.format());
                }
                refused.put(id.format(), "no enrollment " + id.format());
                continue;
            }
            Optional<Inventory> inv = inventory == null ? Optional.empty() : inventory.find(id);
            Optional<String> why = TypedCommands.refusal(d, e.get(), inv);
            if (why.isPresent()) {
                if (!r.force()) {
                    if (single) {
                        throw new MdmException(422, why.get() + " (send \"force\": true to queue it anyway)");
                    }
                    refused.put(id.format(), why.get());
                    continue;
                }
                forced.put(id.format(), why.get());
            }
            Map<String, Object> own = TypedCommands.forTarget(d, params, e.get(), inv);
            if (!groups.containsKey(own)) {
                order.add(own);
            }
            groups.computeIfAbsent(own, x -> new ArrayList<>()).add(id);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requestType", type.requestType());
        if (order.isEmpty()) {
            out.put("error", "no enrollment can run " + type.requestType());
            out.put("status", 422);
            out.put("refused", refused);
            return new Outcome(422, out);
        }
        Instant now = Instant.now();
        List<String> uuids = new ArrayList<>();
        List<Map<String, Object>> commands = new ArrayList<>();
        int status = 201;
        for (Map<String, Object> own : order) {
            TypedCommands.Built built = TypedCommands.build(type, own, codec);
            List<EnrollmentId> targets = groups.get(own);
            EnqueueServlet.Result res = EnqueueServlet.enqueueAndPush(p, push, built.queued(r, now), targets, noPush);
            uuids.add(built.commandUuid());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("commandUuid", built.commandUuid());
            List<String> formatted = new ArrayList<>();
            targets.forEach(t -> formatted.add(t.format()));
            c.put("ids", formatted);
            if (built.pin() != null) {
                c.put("pin", built.pin());
            }
            c.put("enqueue", res.body());
            commands.add(c);
            if (res.status() != 200) {
                status = res.status() == 404 && order.size() == 1 ? 404 : 207;
            }
            LOG.info("{} {} queued for {} enrollment(s){}", type.requestType(), built.commandUuid(), targets.size(),
                    forced.isEmpty() ? "" : " (forced for " + forced.size() + ")");
        }
        out.put("commandUuids", uuids);
        out.put("commands", commands);
        if (!refused.isEmpty()) {
            out.put("refused", refused);
        }
        if (!forced.isEmpty()) {
            out.put("forced", forced);
        }
        return new Outcome(status, out);
    }
}
