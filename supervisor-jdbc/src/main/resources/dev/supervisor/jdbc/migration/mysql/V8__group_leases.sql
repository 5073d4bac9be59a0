-- Cluster mode keeps a group's members on one node: the node holding a group's lease is the only
-- one that claims leases on the group's rows (each member keeps a lease of its own in
-- supervisor_leases, with its own epoch, for fencing).
CREATE TABLE supervisor_group_leases (
    group_name  VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    table_name  VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    owner       VARCHAR(300) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    epoch       BIGINT       NOT NULL,
    acquired_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    expires_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (group_name, table_name)
) ENGINE=InnoDB;

CREATE INDEX supervisor_group_leases_owner ON supervisor_group_leases (owner);

-- A group's rows are looked up by group name on every claim round of a table with groups.
CREATE INDEX supervisor_processes_group ON supervisor_processes (group_name);
