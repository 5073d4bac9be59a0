-- Cluster mode, node-level liveness: a key's lease is valid while its owner incarnation's row in
-- supervisor_nodes is live (expires_at in the future); a renewal writes that one row only.
-- active_until: the node counts in the fair share while it is in the future (its last heartbeat
-- plus two renew intervals); NULL means: as long as the node is live.
ALTER TABLE supervisor_nodes ADD COLUMN active_until TIMESTAMP(6) NULL DEFAULT NULL;

CREATE INDEX supervisor_nodes_expiry ON supervisor_nodes (table_name, expires_at);
