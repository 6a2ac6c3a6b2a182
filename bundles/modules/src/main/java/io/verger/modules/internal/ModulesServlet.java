package io.verger.modules.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

/**
 * Module management:
 * <ul>
 * <li>{@code GET /api/v1/modules} — every bundle: id, symbolic name, version, state, what it provides, failures</li>
 * <li>{@code GET /api/v1/modules/{id}}</li>
 * <li>{@code POST /api/v1/modules} — the jar as the body ({@code application/java-archive}, or multipart with a
 * {@code file} part): installed and started → 201; not a bundle → 400; already installed → 409; does not
 * resolve or start → 422 with the reason, nothing left installed</li>
 * <li>{@code PUT /api/v1/modules/{id}} — update in place to a new version (rolled back if it does not work)</li>
 * <li>{@code DELETE /api/v1/modules/{id}} — uninstall</li>
 * </ul>
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.multipart.enabled=true",
    "osgi.http.whiteboard.servlet.multipart.maxFileSize=104857600"})
@HttpWhiteboardServletPattern({"/api/v1/modules", "/api/v1/modules/*"})
public final class ModulesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModulesServlet.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_JAR_BYTES = 100 * 1024 * 1024;

    @Reference
    private transient ModuleRegistry registry;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Long id = id(req, resp);
        if (id == null) {
            if (req.getPathInfo() == null || req.getPathInfo().equals("/")) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("modules", registry.list());
                write(resp, 200, out);
            }
            return;
        }
        var b = registry.bundle(id);
        if (b.isEmpty()) {
            error(resp, 404, "no module with id " + id);
        } else {
            write(resp, 200, registry.describe(b.get()));
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getPathInfo() != null && !req.getPathInfo().equals("/")) {
            error(resp, 405, "POST /api/v1/modules installs a new module; use PUT /api/v1/modules/{id} to update one");
            return;
        }
        try {
            write(resp, 201, registry.install(jar(req)));
        } catch (ModuleRegistry.ModuleException e) {
            LOG.warn("Module upload refused: {}", e.getMessage());
            error(resp, e.status, e.getMessage());
        }
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Long id = id(req, resp);
        if (id == null) {
            if (req.getPathInfo() == null || req.getPathInfo().equals("/")) {
                error(resp, 405, "PUT needs a module id: PUT /api/v1/modules/{id}");
            }
            return;
        }
        try {
            write(resp, 200, registry.update(id, jar(req)));
        } catch (ModuleRegistry.ModuleException e) {
            LOG.warn("Module update refused: {}", e.getMessage());
            error(resp, e.status, e.getMessage());
        }
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Long id = id(req, resp);
        if (id == null) {
            if (req.getPathInfo() == null || req.getPathInfo().equals("/")) {
                error(resp, 405, "DELETE needs a module id: DELETE /api/v1/modules/{id}");
            }
            return;
        }
        try {
            write(resp, 200, registry.uninstall(id));
        } catch (ModuleRegistry.ModuleException e) {
            error(resp, e.status, e.getMessage());
        }
    }

    /** The id in the path, or null (after answering 400 for a bad one; nothing for no id). */
    private static Long id(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String info = req.getPathInfo();
        if (info == null || info.equals("/")) {
            return null;
        }
        try {
            return Long.parseLong(info.substring(1));
        } catch (NumberFormatException e) {
            error(resp, 400, "module ids are numbers (the bundle id), got '" + info.substring(1) + "'");
            return null;
        }
    }

    private static byte[] jar(HttpServletRequest req) throws IOException, ModuleRegistry.ModuleException {
        String ct = req.getContentType();
        if (ct != null && ct.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            try {
                Part part = req.getPart("file");
                if (part == null) {
                    for (Part p : req.getParts()) {
                        part = p;
                        break;
                    }
                }
                if (part == null) {
                    throw new ModuleRegistry.ModuleException(400, "multipart upload without a file part");
                }
                try (InputStream in = part.getInputStream()) {
                    return read(in);
                }
            } catch (ServletException | IllegalStateException e) {
                throw new ModuleRegistry.ModuleException(400, "bad multipart upload: " + e.getMessage());
            }
        }
        if (req.getContentLengthLong() > MAX_JAR_BYTES) {
            throw new ModuleRegistry.ModuleException(413, "module larger than " + MAX_JAR_BYTES + " bytes");
        }
        try (InputStream in = req.getInputStream()) {
            byte[] body = read(in);
            if (body.length == 0) {
                throw new ModuleRegistry.ModuleException(400, "empty body: send the bundle jar (Content-Type: application/java-archive)");
            }
            return body;
        }
    }

    private static byte[] read(InputStream in) throws IOException, ModuleRegistry.ModuleException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_JAR_BYTES) {
                throw new ModuleRegistry.ModuleException(413, "module larger than " + MAX_JAR_BYTES + " bytes");
            }
        }
        return out.toByteArray();
    }

    static void write(HttpServletResponse resp, int status, Object body) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    static void error(HttpServletResponse resp, int status, String message) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("error", message);
        write(resp, status, m);
    }
}
