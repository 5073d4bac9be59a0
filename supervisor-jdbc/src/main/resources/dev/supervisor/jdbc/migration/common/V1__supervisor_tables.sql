-- The desired state: one row per process that should run. The supervisor reads it; anyone may write it.
-- "revision" and "updated_at" are maintained by the database (see the vendor migration V1_1).
CREATE TABLE supervisor_processes (
    name        VARCHAR(512)             NOT NULL PRIMARY KEY,
    payload     VARCHAR,
    revision    BIGINT                   NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE INDEX supervisor_processes_revision ON supervisor_processes (revision);

-- The observed state: what each node's supervisor is doing about each key. Written in batches by StatusWriter.
CREATE TABLE supervisor_status (
    name            VARCHAR(512)             NOT NULL,
    node            VARCHAR(255)             NOT NULL,
    state           VARCHAR(16)              NOT NULL,
    attempt         INTEGER                  NOT NULL,
    restarts        INTEGER                  NOT NULL,
    pid             BIGINT,
    started_at      TIMESTAMP WITH TIME ZONE,
    running_since   TIMESTAMP WITH TIME ZONE,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    exited_at       TIMESTAMP WITH TIME ZONE,
    last_exit       VARCHAR(16),
    last_error      VARCHAR(4000),
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (name, node)
);
