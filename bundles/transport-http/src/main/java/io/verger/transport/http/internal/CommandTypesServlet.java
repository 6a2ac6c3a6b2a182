package io.verger.transport.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<CommandType> commandTypes;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<CommandType> snapshot = commandTypes;
        Map<String, JsonNode> byType = new TreeMap<>();
        for (CommandType type : snapshot == null ? List.<CommandType>of() : snapshot) {
            String requestType;
            try {
                requestType = type.requestType();
            } catch (RuntimeException e) {
                LOG.warn("Command type {} failed to name itself: {}", type.getClass().getName(), e.toString());
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
        List<JsonNode> list = new ArrayList<>(byType.values());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", list.size());
        body.put("commandTypes", list);
        Json.write(resp, HttpServletResponse.SC_OK, body);
    }
}
