package io.verger.simulator.enroll;

import java.nio.charset.StandardCharsets;

import io.verger.simulator.http.HttpResponseReader;

/** A step of an enrollment that the server refused or answered wrongly; the message names the step, the status and the body. */
public final class EnrollmentFailure extends Exception {

    private static final long serialVersionUID = 1L;

    public EnrollmentFailure(String message) {
        super(message);
    }

    public EnrollmentFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** "GET /enroll?token=…: HTTP 403 this enrollment link is not valid…" (the body cut to 300 characters). */
    public static EnrollmentFailure http(String step, HttpResponseReader.Response r) {
        return new EnrollmentFailure(step + ": HTTP " + r.status() + " " + excerpt(r.body()));
    }

    static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
        boolean text = s.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\r' || c == '\t');
        return text ? s.replaceAll("\\s+", " ") + (body.length > 300 ? "…" : "") : "(" + body.length + " bytes of binary body)";
    }
}
