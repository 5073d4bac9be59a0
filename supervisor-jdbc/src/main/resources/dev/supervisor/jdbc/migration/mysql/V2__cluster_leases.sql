-- Cluster mode (LeaseOwnership): which node may run which key, and which nodes are alive.
-- Every time in these tables comes from the database's clock (CURRENT_TIMESTAMP(6)), never a node's.

-- Fencing tokens: every claim of any key takes the next value, so a key's epoch only ever grows,
-- even when its lease row is deleted and created again. MySQL has no sequences: the counter is
-- this table's AUTO_INCREMENT (kept across restarts by MariaDB 10.2.4+ and MySQL 8.0+); taking a
-- value inserts a row and deletes it again at once, so the table stays empty and no lock is
-- held on it until the caller's transaction ends.
CREATE TABLE supervisor_lease_epoch_seq (
    epoch BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY
) ENGINE=InnoDB;

DELIMITER //
CREATE FUNCTION supervisor_lease_epoch_seq_next() RETURNS BIGINT
    NOT DETERMINISTIC MODIFIES SQL DATA
BEGIN
    DECLARE taken BIGINT;
    INSERT INTO supervisor_lease_epoch_seq () VALUES ();
    SET taken = LAST_INSERT_ID();
    DELETE FROM supervisor_lease_epoch_seq WHERE epoch = taken;
    RETURN taken;
END//
DELIMITER ;

-- One row per claimed key. A row whose expires_at has passed may be claimed by any node.
-- table_name is the desired-state table the key belongs to, so supervisors of different tables
-- can share one schema.
CREATE TABLE supervisor_leases (
    name        VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    table_name  VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    owner       VARCHAR(300) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    epoch       BIGINT       NOT NULL,
    acquired_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    expires_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (name, table_name)
) ENGINE=InnoDB;

CREATE INDEX supervisor_leases_owner ON supervisor_leases (owner);
CREATE INDEX supervisor_leases_expiry ON supervisor_leases (table_name, expires_at);

-- One row per running node (an incarnation: a restarted node is a new row). Live while
-- expires_at is in the future; renewed together with the node's leases.
CREATE TABLE supervisor_nodes (
    node         VARCHAR(300) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    name         VARCHAR(255) NOT NULL,
    table_name   VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    capacity     INTEGER      NOT NULL,
    started_at   TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    heartbeat_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    expires_at   TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB;
