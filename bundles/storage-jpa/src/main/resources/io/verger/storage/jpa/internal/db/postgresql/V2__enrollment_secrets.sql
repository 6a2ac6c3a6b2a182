-- One-time secrets of over-the-air enrollment (EnrollmentSecretStore): enrollment tokens, SCEP
-- challenges and the SCEP transaction IDs already answered. Only a SHA-256 digest of each is kept.
CREATE TABLE enrollment_secret (
    kind       VARCHAR(32) COLLATE "C" NOT NULL,
    digest     CHAR(64) COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    CONSTRAINT enrollment_secret_pk PRIMARY KEY (kind, digest)
);
CREATE INDEX enrollment_secret_expiry ON enrollment_secret (expires_at);
