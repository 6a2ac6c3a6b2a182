package io.verger.core.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.api.EnrollmentId;
import io.verger.api.Platform;
import io.verger.api.storage.Enrollment;
import io.verger.api.storage.EnrollmentFilter;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/v1/push}: wake many enrollments at once, named ({@code {"ids": [...]}}) or by a device filter
 * ({@code {"filter": {"platform": "iOS", "enabled": true, "seenBefore": "...", "seenSince": "..."}}}). Answers counts
 * per outcome and the errors of up to 100 enrollments. 503 naming the missing module when no push provider is
 * installed.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/push")
public final class PushApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final int MAX_IDS = 100_000;
    static final int BATCH = 1000;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushDispatcher push;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MdmProtocol protocol;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            PushDispatcher p = push;
            if (p == null || !p.available()) {
                throw new PushDispatcher.NoPushProvider();
            }
            MdmProtocol proto = protocol;
            if (proto == null) {
                throw MdmException.unavailable("MDM protocol engine not available");
            }
            JsonNode body;
            try {
                body = ApiJson.MAPPER.readTree(DeviceEndpointServlet.readBody(req, 16 * 1024 * 1024));
            } catch (IOException e) {
                throw MdmException.badRequest("body is not JSON: " + e.getMessage());
            }
            if (body == null || !body.isObject() || (!body.has("ids") && !body.has("filter"))) {
                throw MdmException.badRequest("expected {\"ids\": [...]} or {\"filter\": {...}}");
            }
            List<EnrollmentId> ids = body.has("ids") ? ids(body.get("ids")) : matching(proto, body.get("filter"));
            Map<String, Integer> counts = new LinkedHashMap<>();
            Map<String, String> errors = new LinkedHashMap<>();
            for (int i = 0; i < ids.size(); i += BATCH) {
                for (Map.Entry<EnrollmentId, PushDispatcher.Outcome> e : p.push(ids.subList(i, Math.min(ids.size(), i + BATCH))).entrySet()) {
                    String outcome = e.getValue().error() == null ? "delivered" : "failed";
                    counts.merge(outcome, 1, Integer::sum);
                    if (e.getValue().error() != null && errors.size() < 100) {
                        errors.put(e.getKey().format(), e.getValue().error());
                    }
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("requested", ids.size());
            out.put("delivered", counts.getOrDefault("delivered", 0));
            out.put("failed", counts.getOrDefault("failed", 0));
            if (!errors.isEmpty()) {
                out.put("errors", errors);
            }
            ApiJson.write(resp, 200, out);
        } catch (PushDispatcher.NoPushProvider e) {
            ApiJson.error(resp, 503, e.getMessage());
        } catch (MdmException e) {
            ApiJson.error(resp, e.status(), e.getMessage());
        }
    }

    static List<EnrollmentId> ids(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw MdmException.badRequest("ids must be a non-empty array of enrollment ids");
        }
        if (node.size() > MAX_IDS) {
            throw MdmException.badRequest("at most " + MAX_IDS + " ids per call");
        }
        Set<EnrollmentId> ids = new LinkedHashSet<>();
        for (JsonNode n : node) {
            try {
                ids.add(EnrollmentId.parse(n.asText()));
            } catch (IllegalArgumentException e) {
                throw MdmException.badRequest("invalid enrollment id: " + e.getMessage());
            }
        }
        return new ArrayList<>(ids);
    }

    static List<EnrollmentId> matching(MdmProtocol proto, JsonNode f) {
        if (!f.isObject()) {
            throw MdmException.badRequest("filter must be an object");
        }
        EnrollmentFilter filter = EnrollmentFilter.ALL.withEnabled(f.has("enabled") ? f.get("enabled").asBoolean() : Boolean.TRUE);
        try {
            if (f.hasNonNull("platform")) {
                filter = filter.withPlatform(Platform.of(f.get("platform").asText()));
            }
            if (f.hasNonNull("seenBefore")) {
                filter = filter.withSeenBefore(Instant.parse(f.get("seenBefore").asText()));
            }
            if (f.hasNonNull("seenSince")) {
                filter = filter.withSeenSince(Instant.parse(f.get("seenSince").asText()));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw MdmException.badRequest("filter: " + e.getMessage());
        }
        if (f.has("deviceOnly")) {
            filter = filter.withDeviceOnly(f.get("deviceOnly").asBoolean());
        }
        List<EnrollmentId> ids = new ArrayList<>();
        EnrollmentId after = null;
        while (ids.size() < MAX_IDS) {
            List<Enrollment> page = proto.enrollments().list(filter, after, BATCH);
            page.forEach(e -> ids.add(e.id()));
            if (page.size() < BATCH) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        return ids;
    }
}
