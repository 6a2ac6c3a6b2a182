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

/** {@code /checkin}, the profile's CheckInURL: the eight check-in messages. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/checkin")
public final class CheckinServlet extends DeviceEndpointServlet {

    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MdmProtocol protocol;

    @Override
    MdmProtocol protocol() {
        return protocol;
    }

    @Override
    Reply handle(MdmProtocol p, HttpServletRequest req, VerifiedIdentity identity, byte[] body) {
        return p.checkin(identity, body);
    }
}
