package io.verger.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.VerifiedIdentity;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What {@code /mdm} and {@code /checkin} share: devices {@code PUT} (some clients {@code POST}) a plist; the
 * body is read up to the configured limit, the sender authenticated, the engine called, and refusals answered
 * with their status and logged.
 */
abstract class DeviceEndpointServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String CHECKIN_CONTENT_TYPE = "application/x-apple-aspen-mdm-checkin";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceEndpointServlet.class);

    abstract MdmProtocol protocol();

    abstract Reply handle(MdmProtocol protocol, HttpServletRequest req, VerifiedIdentity identity, byte[] body);

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp);
    }

    private void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        MdmProtocol protocol = protocol();
        Reply reply;
        try {
            if (protocol == null) {
                throw MdmException.unavailable("MDM protocol engine not available");
            }
            byte[] body = readBody(req, protocol.maxBodyBytes());
            VerifiedIdentity identity;
            try {
                identity = DeviceIdentities.verify(req, body, protocol.identities());
            } catch (IdentityVerificationException e) {
                throw new MdmException(401, "device not authenticated: " + e.reason() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                if (e instanceof MdmException m) {
                    throw m;
                }
                throw new MdmException(503, "identity verification failed: " + e.getMessage(), e);
            }
            reply = handle(protocol, req, identity, body);
        } catch (MdmException e) {
            if (e.status() >= 500) {
                LOG.error("{} {} from {}: {} {}", req.getMethod(), req.getRequestURI(), req.getRemoteAddr(), e.status(), e.getMessage());
            } else {
                LOG.warn("{} {} from {} refused: {} {}", req.getMethod(), req.getRequestURI(), req.getRemoteAddr(), e.status(), e.getMessage());
            }
            reply = Reply.text(e.status(), e.getMessage());
            if (e instanceof BodyTooLarge tooLarge) {
                answerThenDiscard(req, resp, reply, tooLarge);
                return;
            }
        } catch (RuntimeException e) {
            LOG.error("{} {} from {} failed", req.getMethod(), req.getRequestURI(), req.getRemoteAddr(), e);
            reply = Reply.text(500, "internal error");
        }
        reply.write(resp);
    }

    /** The most of an oversized body that is read and dropped after its 413, so that the client can read the answer. */
    static final long DISCARD_LIMIT = 64L * 1024 * 1024;

    /** A 413: the body is larger than the limit, by its Content-Length or as read. */
    static final class BodyTooLarge extends MdmException {
        private static final long serialVersionUID = 1L;
        /** How much of the body is still unread: its declared length less what was read, or -1 when not declared. */
        final long unread;

        BodyTooLarge(String message, long unread) {
            super(413, message);
            this.unread = unread;
        }
    }

    /**
     * Answers the 413 at once and closes the connection after it, but first reads and drops the rest of the body (at
     * most {@link #DISCARD_LIMIT} bytes, within the connector's idle timeout): closing a connection the client still
     * writes to makes its kernel answer with a reset, and a client that sends its whole body before reading (Java's
     * HttpClient, Python's http.client) then sees "connection reset" instead of the 413.
     */
    private static void answerThenDiscard(HttpServletRequest req, HttpServletResponse resp, Reply reply, BodyTooLarge tooLarge) throws IOException {
        resp.setHeader("Connection", "close");
        reply.write(resp);
        resp.flushBuffer();
        if (tooLarge.unread > DISCARD_LIMIT) {
            return; // far too large to read: the client may see a reset
        }
        if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
            return; // the client waits for our go-ahead before sending the body, and now will not send it
        }
        long budget = tooLarge.unread >= 0 ? tooLarge.unread : DISCARD_LIMIT;
        byte[] sink = new byte[64 * 1024];
        try (InputStream in = req.getInputStream()) {
            while (budget > 0) {
                int r = in.read(sink, 0, (int) Math.min(sink.length, budget));
                if (r < 0) {
                    break;
                }
                budget -= r;
            }
        } catch (IOException e) {
            LOG.debug("the rest of an oversized body from {} could not be read: {}", req.getRemoteAddr(), e.toString());
        }
    }

    static byte[] readBody(HttpServletRequest req, int limit) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            throw new BodyTooLarge("body of " + declared + " bytes exceeds the limit of " + limit + " bytes", declared);
        }
        byte[] buf = new byte[declared > 0 ? (int) declared : 8192];
        int n = 0;
        try (InputStream in = req.getInputStream()) {
            while (true) {
                if (n == buf.length) {
                    if (buf.length >= limit) {
                        if (in.read() < 0) {
                            break;
                        }
                        throw new BodyTooLarge("body exceeds the limit of " + limit + " bytes", declared > 0 ? declared - limit - 1 : -1);
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, limit));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    static boolean isCheckin(HttpServletRequest req) {
        String ct = req.getContentType();
        return ct != null && ct.toLowerCase(java.util.Locale.ROOT).startsWith(CHECKIN_CONTENT_TYPE);
    }
}
