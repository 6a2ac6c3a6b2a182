package io.verger.api.identity;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A device's identity was refused. The server answers the request with 401 when the identity could not
 * be established ({@code MISSING}, {@code MALFORMED}, {@code BAD_SIGNATURE}, {@code UNTRUSTED},
 * {@code EXPIRED}) and with 403 when a valid identity may not act for the enrollment it claims
 * ({@code BOUND_ELSEWHERE}, {@code NOT_BOUND}); it logs the message and publishes an event; the {@link #reason()} is for metrics and for deciding what to tell an
 * administrator.
 */
public class IdentityVerificationException extends GeneralSecurityException {

    private static final long serialVersionUID = 1L;

    /** Why an identity was refused. */
    public enum Reason {
        /** No certificate was presented. */
        MISSING,
        /** The certificate or signature could not be parsed. */
        MALFORMED,
        /** The {@code Mdm-Signature} does not verify over the request body. */
        BAD_SIGNATURE,
        /** The certificate does not chain to a trusted issuer (or is revoked). */
        UNTRUSTED,
        /** The certificate is outside its validity period. */
        EXPIRED,
        /** The certificate is bound to another enrollment. */
        BOUND_ELSEWHERE,
        /** The enrollment is bound to another certificate, or to none, and this one may not be bound to it. */
        NOT_BOUND
    }

    private final Reason reason;

    /**
     * @param reason  why
     * @param message what a person needs: which certificate (subject, fingerprint), which
     *                enrollment, what was expected
     */
    public IdentityVerificationException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * @param reason  why
     * @param message what a person needs
     * @param cause   the underlying failure
     */
    public IdentityVerificationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why the identity was refused */
    public Reason reason() {
        return reason;
    }
}
