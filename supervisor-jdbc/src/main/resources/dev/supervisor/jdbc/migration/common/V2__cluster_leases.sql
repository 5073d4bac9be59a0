-- Cluster mode (LeaseOwnership): which node may run which key, and which nodes are alive.
-- Every time in these tables comes from the database's clock (CURRENT_TIMESTAMP), never a node's.

-- Fencing tokens: every claim of any key takes the next value, so a key's epoch only ever grows,
-- even when its lease row is deleted and created again.
CREATE SEQUENCE supervisor_lease_epoch_seq;

-- One row per claimed key. A row whose expires_at has passed may be claimed by any node.
-- table_name is the desired-state table the key belongs to, so supervisors of different tables
-- can share one schema.
CREATE TABLE supervisor_leases (
    name        VARCHAR(512)             NOT NULL,
    table_name  VARCHAR(128)             NOT NULL,
    owner       VARCHAR(300)             NOT NULL,
    epoch       BIGINT                   NOT NULL,
    acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (name, table_name)
);

CREATE INDEX supervisor_leases_owner ON supervisor_leases (owner);
CREATE INDEX supervisor_leases_expiry ON supervisor_leases (table_name, expires_at);

-- One row per running node (an incarnation: a restarted node is a new row). Live while
-- expires_at is in the future; renewed together with the node's leases.
CREATE TABLE supervisor_nodes (
    node         VARCHAR(300)             NOT NULL PRIMARY KEY,
    name         VARCHAR(255)             NOT NULL,
    table_name   VARCHAR(128)             NOT NULL,
    capacity     INTEGER                  NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
