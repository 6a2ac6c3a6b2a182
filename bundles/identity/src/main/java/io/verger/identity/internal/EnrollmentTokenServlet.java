package io.verger.identity.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /api/v1/enrollment-tokens} (API key, checked by the transport's filter on
 * {@code /api/*}): a one-time, expiring enrollment token and the URL a device opens with it.
 * Answers {@code 201 {"token", "url", "expiresAt"}}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/enrollment-tokens")
public final class EnrollmentTokenServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile EnrollmentSecrets secrets;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        EnrollmentSecrets enrollment = secrets;
        if (enrollment == null) {
            write(resp, 503, "{\"error\":\"enrollment is not available: the storage module is not running\"}");
            return;
        }
        EnrollmentSecrets.Issued token;
        try {
            token = enrollment.newToken();
        } catch (IllegalStateException e) {
            write(resp, 503, "{\"error\":" + quote(e.getMessage()) + "}");
            return;
        }
        String base = EnrollmentProfileService.publicUrl(enrollment, req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort());
        String url = base + "/enroll?token=" + token.secret();
        resp.setHeader("Cache-Control", "no-store");
        write(resp, 201, "{\"token\":" + quote(token.secret()) + ",\"url\":" + quote(url) + ",\"expiresAt\":" + quote(token.expiresAt().toString()) + "}");
    }

    private static void write(HttpServletResponse resp, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** A JSON string; the values here are URLs, base64url tokens and ISO instants, but escape anyway. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
