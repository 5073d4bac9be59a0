-- Restart requests: a counter that anyone bumps to have the key's process restarted by whichever
-- supervisor runs it (graceful stop, immediate start; not a failure), from any process or node:
--   UPDATE supervisor_processes SET restart_requests = restart_requests + 1 WHERE name = 'mailer';
ALTER TABLE supervisor_processes ADD COLUMN restart_requests BIGINT NOT NULL DEFAULT 0;
