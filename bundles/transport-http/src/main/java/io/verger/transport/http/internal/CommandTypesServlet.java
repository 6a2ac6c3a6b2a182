package io.verger.transport.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.api.command.CommandDescription;
import io.verger.api.command.CommandType;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/command-types}: the command types installed right now, with what each one describes of
 * itself. The list follows bundles as they come and go (dynamic reference); a module whose {@code describe()}
 * throws is reported as broken instead of breaking the listing.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/command-types")
public final class CommandTypesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CommandTypesServlet.class);

    private final Map<ServiceReference<CommandType>, CommandType> commandTypes = new ConcurrentHashMap<>();

    @Reference(service = CommandType.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeCommandType")
    void addCommandType(ServiceReference<CommandType> ref, CommandType type) {
        commandTypes.put(ref, type);
    }

    void removeCommandType(ServiceReference<CommandType> ref) {
        commandTypes.remove(ref);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // highest service.ranking first (then lowest service.id): the one the server uses for a RequestType
        List<Map.Entry<ServiceReference<CommandType>, CommandType>> snapshot = new ArrayList<>(commandTypes.entrySet());
        snapshot.sort(Map.Entry.<ServiceReference<CommandType>, CommandType>comparingByKey().reversed());
        Map<String, JsonNode> byType = new TreeMap<>();
        Map<String, Integer> overridden = new TreeMap<>();
        for (Map.Entry<ServiceReference<CommandType>, CommandType> service : snapshot) {
            CommandType type = service.getValue();
            String requestType;
            try {
                requestType = type.requestType();
            } catch (RuntimeException e) {
                LOG.warn("Command type {} failed to name itself: {}", type.getClass().getName(), e.toString());
                continue;
            }
            if (byType.containsKey(requestType)) {
                overridden.merge(requestType, 1, Integer::sum);
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("requestType", requestType);
            JsonNode node;
            try {
                CommandDescription d = type.describe();
                entry.put("title", d.title());
                entry.put("description", d.description());
                entry.put("parameters", d.parameters());
                entry.put("platforms", d.platforms());
                Object ranking = service.getKey().getProperty(Constants.SERVICE_RANKING);
                entry.put("ranking", ranking instanceof Integer i ? i : 0);
                entry.put("bundle", service.getKey().getBundle() == null ? null : service.getKey().getBundle().getSymbolicName());
                node = Json.MAPPER.valueToTree(entry);
            } catch (RuntimeException e) {
                LOG.warn("Command type {} failed to describe itself: {}", requestType, e.toString());
                Map<String, Object> broken = new LinkedHashMap<>();
                broken.put("requestType", requestType);
                broken.put("error", "describe() failed: " + e);
                node = Json.MAPPER.valueToTree(broken);
            }
            byType.putIfAbsent(requestType, node);
        }
        overridden.forEach((rt, n) -> {
            if (byType.get(rt) instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                o.put("overrides", n);
            }
        });
        List<JsonNode> list = new ArrayList<>(byType.values());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", list.size());
        body.put("commandTypes", list);
        Json.write(resp, HttpServletResponse.SC_OK, body);
    }
}
