-- What the policy engine keeps next to the policies (PolicyTargetStore): device groups and their
-- members, where each policy applies besides its one-by-one assignments, and each policy's saved
-- revisions. Targets and revisions go with their policy.
CREATE TABLE device_group (
    name       VARCHAR(255) NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE device_group_member (
    group_name VARCHAR(255) NOT NULL,
    device_id  VARCHAR(255) NOT NULL,
    user_key   VARCHAR(255) NOT NULL,
    CONSTRAINT device_group_member_pk PRIMARY KEY (group_name, device_id, user_key),
    CONSTRAINT device_group_member_group FOREIGN KEY (group_name) REFERENCES device_group (name) ON DELETE CASCADE
);
CREATE INDEX device_group_member_channel ON device_group_member (device_id, user_key);

CREATE TABLE policy_target (
    policy_id      VARCHAR(255) NOT NULL PRIMARY KEY,
    all_devices    BOOLEAN NOT NULL,
    platform       VARCHAR(255),
    min_os_version VARCHAR(255),
    tag            VARCHAR(255),
    CONSTRAINT policy_target_policy FOREIGN KEY (policy_id) REFERENCES policy (id) ON DELETE CASCADE
);

CREATE TABLE policy_target_group (
    policy_id  VARCHAR(255) NOT NULL,
    list_index INTEGER NOT NULL,
    group_name VARCHAR(255) NOT NULL,
    CONSTRAINT policy_target_group_pk PRIMARY KEY (policy_id, list_index),
    CONSTRAINT policy_target_group_target FOREIGN KEY (policy_id) REFERENCES policy_target (policy_id) ON DELETE CASCADE
);

CREATE TABLE policy_revision (
    policy_id    VARCHAR(255) NOT NULL,
    revision     BIGINT NOT NULL,
    name         VARCHAR(1024) NOT NULL,
    payload_type VARCHAR(255) NOT NULL,
    settings     BLOB NOT NULL,
    saved_at     BIGINT NOT NULL,
    CONSTRAINT policy_revision_pk PRIMARY KEY (policy_id, revision),
    CONSTRAINT policy_revision_policy FOREIGN KEY (policy_id) REFERENCES policy (id) ON DELETE CASCADE
);
