-- Cluster mode, node-level liveness: a key's lease is valid while its owner incarnation's row in
-- supervisor_nodes is live (expires_at in the future); a renewal writes that one row only, so
-- its cost does not grow with the number of keys. Lease rows change on claim, hand-over and
-- release only; their expires_at now records when a claim was made plus the ttl, for people.
--
-- active_until: the node counts in the fair share while it is in the future (its last heartbeat
-- plus two renew intervals), so an incarnation that died stops counting long before its leases
-- expire; NULL (rows written before this migration) means: as long as the node is live.
ALTER TABLE supervisor_nodes ADD COLUMN active_until TIMESTAMP WITH TIME ZONE;

CREATE INDEX supervisor_nodes_expiry ON supervisor_nodes (table_name, expires_at);
