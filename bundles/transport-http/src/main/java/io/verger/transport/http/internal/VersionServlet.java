package io.verger.transport.http.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /version}: product name and version (also NanoMDM's {@code /version}). Unauthenticated. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/version")
public final class VersionServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, Object> body;

    @Activate
    public VersionServlet(BundleContext context) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", property(context, "verger.product.name", "Verger"));
        b.put("version", property(context, "verger.version", context.getBundle().getVersion().toString()));
        this.body = Map.copyOf(b);
    }

    private static String property(BundleContext context, String key, String fallback) {
        String v = context.getProperty(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("name", body.get("name"));
        ordered.put("version", body.get("version"));
        Json.write(resp, HttpServletResponse.SC_OK, ordered);
    }
}
