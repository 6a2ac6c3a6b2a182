package io.verger.policy.engine.internal;

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
import java.util.UUID;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.verger.api.EnrollmentId;
import io.verger.api.policy.PolicyDescription;
import io.verger.api.policy.PolicyModule;
import io.verger.api.storage.Policy;
import io.verger.api.storage.PolicyTargetStore;
import io.verger.api.storage.PolicyTargets;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The policy API:
 * <ul>
 * <li>{@code GET /api/v1/policy-modules[/{payloadType}]}: installed modules with their settings description</li>
 * <li>{@code GET|POST /api/v1/policies}, {@code GET|PUT|DELETE /api/v1/policies/{id}}: policies
 * ({@code {id?, name, payloadType (or module), settings}}); every change makes a new revision</li>
 * <li>{@code GET /api/v1/policies/{id}/versions}: the saved revisions</li>
 * <li>{@code GET|PUT|DELETE /api/v1/policies/{id}/assignments}: {@code {all?, ids?, groups?, filter?: {platform,
 * minOsVersion, tag}}}</li>
 * <li>{@code GET /api/v1/policies/{id}/status}, {@code GET /api/v1/policy-status/{deviceId}}: per device and policy,
 * pending / installed (revision) / failed (error chain) / removing / module missing</li>
 * <li>{@code GET|POST /api/v1/groups}, {@code GET|DELETE /api/v1/groups/{name}},
 * {@code PUT|POST|DELETE /api/v1/groups/{name}/members} {@code {ids: [...]}}: device groups</li>
 * </ul>
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/v1/policies", "/api/v1/policies/*", "/api/v1/policy-modules",
        "/api/v1/policy-modules/*", "/api/v1/policy-status/*", "/api/v1/groups", "/api/v1/groups/*"})
public final class PolicyApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_BODY = 8 * 1024 * 1024;

    @Reference
    private transient PolicyEngine engine;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            String uri = req.getRequestURI().substring(req.getContextPath().length());
            List<String> path = new ArrayList<>();
            for (String s : uri.split("/")) {
                if (!s.isEmpty()) {
                    path.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
                }
            }
            // path[0..1] = api, v1
            List<String> p = path.subList(Math.min(2, path.size()), path.size());
            String m = req.getMethod();
            Object out = switch (p.isEmpty() ? "" : p.get(0)) {
                case "policy-modules" -> modules(m, p);
                case "policies" -> policies(m, p, req);
                case "policy-status" -> deviceStatus(m, p);
                case "groups" -> groups(m, p, req);
                default -> throw new ApiException(404, "no endpoint " + m + " " + uri);
            };
            int status = out instanceof Created ? 201 : 200;
            Object body = out instanceof Created c ? c.body() : out;
            if (body == null) {
                resp.setStatus(204);
                return;
            }
            write(resp, status, body);
        } catch (ApiException e) {
            write(resp, e.status(), Map.of("error", e.getMessage()));
        }
    }

    private record Created(Object body) {
    }

    private static void write(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        MAPPER.writeValue(resp.getOutputStream(), body);
    }

    private static JsonNode body(HttpServletRequest req) throws IOException {
        byte[] b = req.getInputStream().readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) {
            throw new ApiException(413, "body larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode n = MAPPER.readTree(b);
            if (n == null || !n.isObject()) {
                throw new ApiException(400, "body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ApiException(400, "body is not JSON: " + e.getMessage());
        }
    }

    private static ApiException notAllowed(String m, List<String> p) {
        return new ApiException(405, m + " not allowed on /api/v1/" + String.join("/", p));
    }

    // ---- modules ------------------------------------------------------------------------------------------

    private Object modules(String m, List<String> p) {
        if (!"GET".equals(m)) {
            throw notAllowed(m, p);
        }
        var modules = engine.modules();
        if (p.size() == 2) {
            var e = modules.get(p.get(1));
            if (e == null) {
                throw new ApiException(404, "policy module " + p.get(1) + " is not installed");
            }
            return module(e.getKey(), e.getValue());
        }
        List<Object> out = new ArrayList<>();
        modules.values().forEach(e -> out.add(module(e.getKey(), e.getValue())));
        return out;
    }

    private static Map<String, Object> module(ServiceReference<?> ref, PolicyModule module) {
        PolicyDescription d = module.describe();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("payloadType", d.payloadType());
        out.put("title", d.title());
        out.put("description", d.description());
        out.put("multiple", d.multiple());
        Map<String, Object> platforms = new LinkedHashMap<>();
        d.platforms().forEach((pl, s) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("introduced", s.introduced());
            x.put("channels", s.channels().stream().map(Enum::name).sorted().toList());
            x.put("supervised", s.supervisedOnly());
            x.put("userEnrollment", s.userEnrollment().toString());
            platforms.put(pl.schemaName(), x);
        });
        out.put("platforms", platforms);
        out.put("settings", d.settings().stream().map(SettingsJson::key).toList());
        out.put("bundle", ref.getBundle() == null ? null : ref.getBundle().getSymbolicName());
        out.put("ranking", PolicyEngine.ranking(ref));
        return out;
    }

    // ---- policies -----------------------------------------------------------------------------------------

    private Object policies(String m, List<String> p, HttpServletRequest req) throws IOException {
        if (p.size() == 1) {
            return switch (m) {
                case "GET" -> engine.policies().stream().map(this::policy).toList();
                case "POST" -> new Created(policy(create(body(req))));
                default -> throw notAllowed(m, p);
            };
        }
        Policy policy = engine.policy(p.get(1)).orElseThrow(() -> new ApiException(404, "no policy " + p.get(1)));
        if (p.size() == 2) {
            return switch (m) {
                case "GET" -> policy(policy);
                case "PUT" -> policy(update(policy, body(req)));
                case "DELETE" -> {
                    engine.delete(policy.id());
                    yield null;
                }
                default -> throw notAllowed(m, p);
            };
        }
        if (p.size() == 3) {
            switch (p.get(2)) {
                case "assignments":
                    switch (m) {
                        case "GET":
                            return assignments(policy.id());
                        case "PUT":
                            assign(policy.id(), body(req));
                            return assignments(policy.id());
                        case "DELETE":
                            engine.unassignAll(policy.id());
                            return assignments(policy.id());
                        default:
                            throw notAllowed(m, p);
                    }
                case "status":
                    if (!"GET".equals(m)) {
                        throw notAllowed(m, p);
                    }
                    return engine.statusOfPolicy(policy);
                case "versions":
                    if (!"GET".equals(m)) {
                        throw notAllowed(m, p);
                    }
                    return engine.targets().revisions(policy.id()).stream().map(h -> {
                        Map<String, Object> v = new LinkedHashMap<>();
                        v.put("revision", h.revision());
                        v.put("name", h.name());
                        v.put("settings", SettingsJson.toJson(h.settings()));
                        v.put("updatedAt", h.savedAt().toString());
                        return v;
                    }).toList();
                default:
                    break;
            }
        }
        throw new ApiException(404, "no endpoint " + m + " /api/v1/" + String.join("/", p));
    }

    private Map<String, Object> policy(Policy p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.id());
        out.put("name", p.name());
        out.put("payloadType", p.payloadType());
        out.put("revision", p.revision());
        out.put("updatedAt", p.updatedAt().toString());
        out.put("moduleMissing", engine.module(p.payloadType()).isEmpty());
        out.put("profileIdentifier", ProfileBuilder.identifier(p.id()));
        out.put("settings", SettingsJson.toJson(p.settings()));
        return out;
    }

    private Policy create(JsonNode json) {
        String id = json.hasNonNull("id") ? json.get("id").asText() : UUID.randomUUID().toString();
        if (!PolicyEngine.NAME.matcher(id).matches()) {
            throw new ApiException(400, "id: expected 1 to 64 letters, digits, '-' or '_', found '" + id + "'");
        }
        String payloadType = json.hasNonNull("payloadType") ? json.get("payloadType").asText() : json.path("module").asText("");
        if (payloadType.isBlank()) {
            throw new ApiException(400, "payloadType: required (the PayloadType of an installed policy module)");
        }
        String name = json.path("name").asText("");
        if (name.isBlank()) {
            throw new ApiException(400, "name: required");
        }
        if (engine.policy(id).isPresent()) {
            throw new ApiException(409, "policy " + id + " exists");
        }
        PolicyModule module = engine.module(payloadType).orElseThrow(() -> new ApiException(422, "policy module " + payloadType + " is not installed"));
        Map<String, Object> settings = SettingsJson.settings(module.describe().settings(), json.get("settings"));
        return engine.save(new Policy(id, name, payloadType, settings, 0, Instant.now()));
    }

    private Policy update(Policy old, JsonNode json) {
        if (json.has("revision") && json.get("revision").asLong() != old.revision()) {
            throw new ApiException(409, "policy " + old.id() + " is at revision " + old.revision() + ", not " + json.get("revision").asLong());
        }
        PolicyModule module = engine.module(old.payloadType()).orElseThrow(() -> new ApiException(422,
                "policy module " + old.payloadType() + " is not installed; policy " + old.id() + " is kept as it is"));
        String name = json.hasNonNull("name") ? json.get("name").asText() : old.name();
        Map<String, Object> settings = json.has("settings") ? SettingsJson.settings(module.describe().settings(), json.get("settings")) : old.settings();
        return engine.save(new Policy(old.id(), name, old.payloadType(), settings, old.revision(), Instant.now()));
    }

    private Map<String, Object> assignments(String policyId) {
        PolicyTargets t = engine.targets().targets(policyId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("all", t.all());
        out.put("ids", engine.store().assignees(policyId).stream().map(EnrollmentId::format).toList());
        out.put("groups", t.groups());
        Map<String, Object> filter = new LinkedHashMap<>();
        if (t.platform() != null) {
            filter.put("platform", t.platform());
        }
        if (t.minOsVersion() != null) {
            filter.put("minOsVersion", t.minOsVersion());
        }
        if (t.tag() != null) {
            filter.put("tag", t.tag());
        }
        out.put("filter", filter);
        out.put("targeted", engine.targeted(policyId).stream().map(EnrollmentId::format).toList());
        return out;
    }

    private void assign(String policyId, JsonNode json) {
        List<EnrollmentId> ids = ids(json);
        List<String> groups = new ArrayList<>();
        PolicyTargetStore store = engine.targets();
        json.path("groups").forEach(g -> {
            if (!PolicyEngine.NAME.matcher(g.asText()).matches() || !store.groupExists(g.asText())) {
                throw new ApiException(422, "groups: no group " + g.asText());
            }
            groups.add(g.asText());
        });
        JsonNode f = json.path("filter");
        PolicyTargets t = new PolicyTargets(json.path("all").asBoolean(false), groups, text(f, "platform"),
                text(f, "minOsVersion") != null ? text(f, "minOsVersion") : text(f, "osVersion"), text(f, "tag"));
        engine.assign(policyId, t, ids, true);
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static List<EnrollmentId> ids(JsonNode json) {
        Set<EnrollmentId> ids = new LinkedHashSet<>();
        for (JsonNode n : json.path("ids")) {
            try {
                ids.add(EnrollmentId.parse(n.asText()));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "ids: " + e.getMessage());
            }
        }
        return new ArrayList<>(ids);
    }

    private Object deviceStatus(String m, List<String> p) {
        if (!"GET".equals(m) || p.size() != 2) {
            throw notAllowed(m, p);
        }
        EnrollmentId id;
        try {
            id = EnrollmentId.parse(p.get(1));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        return engine.statusOfDevice(id);
    }

    // ---- groups -------------------------------------------------------------------------------------------

    private Object groups(String m, List<String> p, HttpServletRequest req) throws IOException {
        PolicyTargetStore groupStore = engine.targets();
        if (p.size() == 1) {
            switch (m) {
                case "GET":
                    return groupStore.groups().stream().map(this::group).toList();
                case "POST": {
                    JsonNode json = body(req);
                    String name = json.path("name").asText("");
                    if (!PolicyEngine.NAME.matcher(name).matches()) {
                        throw new ApiException(400, "name: expected 1 to 64 letters, digits, '-' or '_', found '" + name + "'");
                    }
                    if (!groupStore.createGroup(name)) {
                        throw new ApiException(409, "group " + name + " exists");
                    }
                    List<EnrollmentId> ids = ids(json);
                    if (!ids.isEmpty()) {
                        groupStore.addMembers(name, ids);
                        engine.reconcileMembers(ids);
                    }
                    return new Created(group(name));
                }
                default:
                    throw notAllowed(m, p);
            }
        }
        String name = p.get(1);
        if (!PolicyEngine.NAME.matcher(name).matches() || !groupStore.groupExists(name)) {
            throw new ApiException(404, "no group " + name);
        }
        if (p.size() == 2) {
            switch (m) {
                case "GET":
                    return group(name);
                case "DELETE": {
                    List<EnrollmentId> members = groupStore.members(name);
                    groupStore.deleteGroup(name);
                    engine.reconcileMembers(members);
                    return null;
                }
                default:
                    throw notAllowed(m, p);
            }
        }
        if (p.size() == 3 && "members".equals(p.get(2))) {
            List<EnrollmentId> before = groupStore.members(name);
            List<EnrollmentId> ids = "GET".equals(m) ? List.of() : ids(body(req));
            switch (m) {
                case "GET":
                    return group(name);
                case "PUT":
                    groupStore.removeMembers(name, before);
                    groupStore.addMembers(name, ids);
                    break;
                case "POST":
                    groupStore.addMembers(name, ids);
                    break;
                case "DELETE":
                    groupStore.removeMembers(name, ids);
                    break;
                default:
                    throw notAllowed(m, p);
            }
            Set<EnrollmentId> affected = new LinkedHashSet<>(before);
            affected.addAll(ids);
            engine.reconcileMembers(affected);
            return group(name);
        }
        throw new ApiException(404, "no endpoint " + m + " /api/v1/" + String.join("/", p));
    }

    private Map<String, Object> group(String name) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("members", engine.targets().members(name).stream().map(EnrollmentId::format).toList());
        return out;
    }
}
