package io.verger.identity.internal;

import io.verger.api.storage.CertAuthStore;
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
import java.io.InputStream;

/**
 * {@code /scep}: the SCEP endpoint devices enroll with. Unauthenticated by design; each
 * PKIOperation is authorized by its challenge password or, for a renewal, by the identity it renews.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/scep")
public final class ScepServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ScepAuthority authority;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile EnrollmentSecrets secrets;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile CertAuthStore certAuth;

    private final transient ScepService scep = new ScepService(() -> authority, () -> secrets, () -> certAuth);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        write(resp, scep.handle(req.getParameter("operation"), req.getParameter("message"), null));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(ScepService.MAX_MESSAGE_BYTES + 1);
        }
        write(resp, scep.handle(req.getParameter("operation"), null, body));
    }

    private static void write(HttpServletResponse resp, ScepService.Response answer) throws IOException {
        resp.setStatus(answer.status());
        resp.setContentType(answer.contentType());
        resp.setContentLength(answer.body().length);
        resp.getOutputStream().write(answer.body());
    }
}
