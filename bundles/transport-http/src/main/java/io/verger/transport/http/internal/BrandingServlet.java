package io.verger.transport.http.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /branding/logo}: the distribution's logo ({@code conf/branding/logo.svg} or {@code logo.png}), for
 * consoles and enrollment pages of branded distributions. Unauthenticated: it is public branding.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/branding/logo")
public final class BrandingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private final transient Path brandingDir;

    @Activate
    public BrandingServlet(BundleContext context) {
        String home = context.getProperty("verger.home");
        this.brandingDir = Path.of(home == null ? "." : home).resolve("conf").resolve("branding");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        for (String[] candidate : new String[][] {{"logo.svg", "image/svg+xml"}, {"logo.png", "image/png"}}) {
            Path file = brandingDir.resolve(candidate[0]);
            if (Files.isRegularFile(file)) {
                byte[] bytes = Files.readAllBytes(file);
                resp.setContentType(candidate[1]);
                resp.setHeader("Cache-Control", "public, max-age=3600");
                resp.setContentLength(bytes.length);
                resp.getOutputStream().write(bytes);
                return;
            }
        }
        Json.error(resp, 404, "no logo in conf/branding (logo.svg or logo.png)");
    }
}
