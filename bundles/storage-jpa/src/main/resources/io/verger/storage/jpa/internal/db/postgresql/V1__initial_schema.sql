-- Verger storage, schema version 1 (PostgreSQL). Instants are BIGINT nanoseconds since the epoch;
-- user_key is '' for a device channel. Keep in step with ../derby/V1__initial_schema.sql.

CREATE TABLE enrollment (
    device_id              VARCHAR(255) COLLATE "C" NOT NULL,
    user_key               VARCHAR(255) COLLATE "C" NOT NULL,
    enrollment_type        VARCHAR(32) NOT NULL,
    enabled                BOOLEAN NOT NULL,
    awaiting_configuration BOOLEAN NOT NULL,
    user_short_name        VARCHAR(1024),
    user_long_name         VARCHAR(1024),
    enrolled_at            BIGINT NOT NULL,
    last_seen_at           BIGINT NOT NULL,
    serial_number          VARCHAR(255),
    model                  VARCHAR(255),
    model_name             VARCHAR(255),
    product_name           VARCHAR(255),
    os_version             VARCHAR(255),
    build_version          VARCHAR(255),
    device_name            VARCHAR(1024),
    imei                   VARCHAR(255),
    meid                   VARCHAR(255),
    facts_topic            VARCHAR(1024),
    platform               VARCHAR(16),
    token_updates          BIGINT NOT NULL,
    topic                  VARCHAR(1024),
    push_token             BYTEA,
    push_magic             VARCHAR(1024),
    token_valid            BOOLEAN NOT NULL,
    unlock_token           BYTEA,
    PRIMARY KEY (device_id, user_key)
);
CREATE INDEX enrollment_last_seen ON enrollment (last_seen_at);

CREATE TABLE command (
    cmd_id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    command_uuid VARCHAR(255) NOT NULL,
    request_type VARCHAR(255) NOT NULL,
    plist        BYTEA NOT NULL,
    priority     INT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT
);

-- one row per channel and command; seq is the delivery order (FIFO within a priority)
CREATE TABLE command_queue (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id     VARCHAR(255) COLLATE "C" NOT NULL,
    user_key      VARCHAR(255) COLLATE "C" NOT NULL,
    command_uuid  VARCHAR(255) NOT NULL,
    cmd_id        BIGINT NOT NULL REFERENCES command (cmd_id),
    state         SMALLINT NOT NULL,
    priority      INT NOT NULL,
    expires_at    BIGINT,
    updated_at    BIGINT NOT NULL,
    result_status SMALLINT,
    result_plist  BYTEA,
    result_errors BYTEA,
    result_at     BIGINT,
    CONSTRAINT command_queue_channel_uuid UNIQUE (device_id, user_key, command_uuid)
);
-- next(): the channel's pending commands in delivery order; history is not in this index
CREATE INDEX command_queue_next ON command_queue (device_id, user_key, priority DESC, seq) WHERE state IN (0, 1);
CREATE INDEX command_queue_channel ON command_queue (device_id, user_key, seq);
CREATE INDEX command_queue_cmd ON command_queue (cmd_id);
CREATE INDEX command_queue_updated ON command_queue (updated_at);
CREATE INDEX command_queue_expires ON command_queue (expires_at);

CREATE TABLE cert_binding (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fingerprint CHAR(64) NOT NULL,
    device_id   VARCHAR(255) COLLATE "C" NOT NULL,
    bound_at    BIGINT NOT NULL,
    CONSTRAINT cert_binding_pair UNIQUE (fingerprint, device_id)
);
CREATE INDEX cert_binding_device ON cert_binding (device_id);

CREATE TABLE bootstrap_token (
    device_id  VARCHAR(255) COLLATE "C" NOT NULL PRIMARY KEY,
    token      BYTEA NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE push_certificate (
    topic         VARCHAR(255) COLLATE "C" NOT NULL PRIMARY KEY,
    fingerprint   CHAR(64) NOT NULL,
    chain         BYTEA NOT NULL,
    key_algorithm VARCHAR(64) NOT NULL,
    private_key   BYTEA NOT NULL,
    not_after     BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE inventory (
    device_id     VARCHAR(255) COLLATE "C" NOT NULL PRIMARY KEY,
    serial_number VARCHAR(255),
    inventory_values BYTEA NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX inventory_serial ON inventory (serial_number);

CREATE TABLE policy (
    id           VARCHAR(255) COLLATE "C" NOT NULL PRIMARY KEY,
    name         VARCHAR(1024) NOT NULL,
    payload_type VARCHAR(255) NOT NULL,
    settings     BYTEA NOT NULL,
    revision     BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE policy_assignment (
    policy_id VARCHAR(255) COLLATE "C" NOT NULL,
    device_id VARCHAR(255) COLLATE "C" NOT NULL,
    user_key  VARCHAR(255) COLLATE "C" NOT NULL,
    PRIMARY KEY (policy_id, device_id, user_key)
);
CREATE INDEX policy_assignment_channel ON policy_assignment (device_id, user_key);

CREATE TABLE policy_install (
    device_id VARCHAR(255) COLLATE "C" NOT NULL,
    user_key  VARCHAR(255) COLLATE "C" NOT NULL,
    policy_id VARCHAR(255) COLLATE "C" NOT NULL,
    revision  BIGINT NOT NULL,
    PRIMARY KEY (device_id, user_key, policy_id)
);
CREATE INDEX policy_install_policy ON policy_install (policy_id);
