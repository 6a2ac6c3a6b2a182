package io.verger.core.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.verger.api.identity.VerifiedIdentity;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code /mdm}, the profile's ServerURL: command reports ({@code application/x-apple-aspen-mdm}), and check-in
 * messages too when they come with the check-in content type (a profile without CheckInURL sends them here).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/mdm")
public final class MdmServlet extends DeviceEndpointServlet {

    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MdmProtocol protocol;

    @Override
    MdmProtocol protocol() {
        return protocol;
    }

    @Override
    Reply handle(MdmProtocol p, HttpServletRequest req, VerifiedIdentity identity, byte[] body) {
        return isCheckin(req) ? p.checkin(identity, body) : p.report(identity, body);
    }
}
