package io.verger.identity.internal;

import io.verger.api.signing.ProfileSigner;
import io.verger.api.storage.PushCertStore;
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

/**
 * {@code GET /enroll?token=…}: the signed enrollment profile. Open to devices (no API key), but only
 * with a valid one-time token or the static enrollment secret.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/enroll")
public final class EnrollServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile EnrollmentSecrets secrets;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ScepAuthority authority;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushCertStore pushCerts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ProfileSigner signer;

    private final transient EnrollmentProfileService profiles =
            new EnrollmentProfileService(() -> secrets, () -> authority, () -> pushCerts, () -> signer);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String requestUrl = req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort();
        ScepService.Response answer = profiles.enroll(req.getParameter("token"), requestUrl);
        resp.setStatus(answer.status());
        resp.setContentType(answer.contentType());
        resp.setHeader("Cache-Control", "no-store");
        if (answer.status() == 200) {
            resp.setHeader("Content-Disposition", "attachment; filename=\"enroll.mobileconfig\"");
        }
        resp.setContentLength(answer.body().length);
        resp.getOutputStream().write(answer.body());
    }
}
