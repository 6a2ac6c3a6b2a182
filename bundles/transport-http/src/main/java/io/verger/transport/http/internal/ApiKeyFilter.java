package io.verger.transport.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every admin call ({@code /api/*}) and every NanoMDM-compatible call ({@code /v1/*}) needs the admin API key:
 * {@code Authorization: Bearer <key>}, HTTP Basic with the key as password (what NanoMDM tools send), or
 * {@code X-API-Key: <key>}. Keys are compared as SHA-256 digests in constant time; the server never holds a
 * generated key in clear.
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern({"/api/*", "/v1/*"})
public final class ApiKeyFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyFilter.class);

    private final byte[] expectedDigest;

    @Activate
    public ApiKeyFilter(BundleContext context) {
        String hex = context.getProperty("verger.api.key.sha256");
        if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) {
            // no key configured: nothing is open by default, every call is refused
            LOG.error("No admin API key configured (framework property verger.api.key.sha256): the API refuses every call");
            this.expectedDigest = null;
        } else {
            this.expectedDigest = HexFormat.of().parseHex(hex.toLowerCase());
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String presented = presentedKey(req);
        if (presented != null && matches(presented)) {
            chain.doFilter(request, response);
            return;
        }
        LOG.warn("Refused {} {} from {}: {}", req.getMethod(), req.getRequestURI(), req.getRemoteAddr(),
                presented == null ? "no API key" : "wrong API key");
        resp.setHeader("WWW-Authenticate", "Basic realm=\"Verger API\"");
        Json.error(resp, HttpServletResponse.SC_UNAUTHORIZED,
                presented == null ? "API key required (Authorization: Bearer <key>, HTTP Basic, or X-API-Key)" : "invalid API key");
    }

    boolean matches(String presented) {
        if (expectedDigest == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    static String presentedKey(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        if (header != null) {
            String h = header.trim();
            if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return h.substring(7).trim();
            }
            if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    return colon < 0 ? decoded : decoded.substring(colon + 1);
                } catch (IllegalArgumentException e) {
                    return "";
                }
            }
        }
        String x = req.getHeader("X-API-Key");
        return x == null ? null : x.trim();
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
