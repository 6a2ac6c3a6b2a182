package io.verger.core.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.verger.api.EnrollmentId;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * NanoMDM's {@code GET /v1/push/{id,id,…}}: wake enrollments now. Without an installed push module the answer is
 * 503 naming it (enqueueing keeps working meanwhile).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/v1/push/*")
public final class PushServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushDispatcher push;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp);
    }

    private void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            List<EnrollmentId> ids = EnqueueServlet.ids(req.getPathInfo());
            PushDispatcher p = push;
            if (p == null || !p.available()) {
                throw new PushDispatcher.NoPushProvider();
            }
            Map<String, Object> status = new LinkedHashMap<>();
            boolean anyError = false;
            for (Map.Entry<EnrollmentId, PushDispatcher.Outcome> e : p.push(ids).entrySet()) {
                Map<String, Object> one = new LinkedHashMap<>();
                if (e.getValue().error() == null) {
                    one.put("push_result", e.getValue().pushId());
                } else {
                    one.put("push_error", e.getValue().error());
                    anyError = true;
                }
                status.put(e.getKey().format(), one);
            }
            body.put("status", status);
            ApiJson.write(resp, anyError ? 207 : 200, body);
        } catch (PushDispatcher.NoPushProvider e) {
            body.put("push_error", e.getMessage());
            ApiJson.write(resp, 503, body);
        } catch (MdmException e) {
            body.put("push_error", e.getMessage());
            ApiJson.write(resp, e.status(), body);
        }
    }
}
