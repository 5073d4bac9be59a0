-- Cluster mode keeps a group's members on one node: the node holding a group's lease is the only
-- one that claims leases on the group's rows (each member keeps a lease of its own in
-- supervisor_leases, with its own epoch, for fencing). Claims, take-overs and hand-overs move a
-- group's lease together with its members' leases, in one transaction.
CREATE TABLE supervisor_group_leases (
    group_name  VARCHAR(255)             NOT NULL,
    table_name  VARCHAR(128)             NOT NULL,
    owner       VARCHAR(300)             NOT NULL,
    epoch       BIGINT                   NOT NULL,
    acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (group_name, table_name)
);

CREATE INDEX supervisor_group_leases_owner ON supervisor_group_leases (owner);

-- A group's rows are looked up by group name on every claim round of a table with groups.
CREATE INDEX supervisor_processes_group ON supervisor_processes (group_name);
