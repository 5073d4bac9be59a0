-- For supervisors of operating-system processes (the daemon): the latest result of the process's
-- health checks (readiness while it starts, liveness while it runs), written when it changes.
ALTER TABLE supervisor_status ADD COLUMN health VARCHAR(1000);
