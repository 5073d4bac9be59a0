-- For supervisors of operating-system processes (the daemon): when the process with "pid" started
-- (a pid alone can be reused by another process later), and the exit code of the latest exit.
ALTER TABLE supervisor_status ADD COLUMN process_started_at TIMESTAMP(6) NULL DEFAULT NULL;
ALTER TABLE supervisor_status ADD COLUMN exit_code INTEGER NULL;
