package io.verger.transport.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Catches {@code /api/*} and {@code /v1/*} paths that no module serves, so that the API-key filter runs for them too
 * (no probing of what is installed without a key) and the caller gets a JSON 404 naming the path.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/*", "/v1/*"})
public final class UnknownEndpointServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Json.error(resp, HttpServletResponse.SC_NOT_FOUND,
                "no endpoint " + req.getMethod() + " " + req.getRequestURI() + " (is the module that serves it installed?)");
    }
}
