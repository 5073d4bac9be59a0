-- Pause and resume: a paused row keeps its key and its status and has no process; setting the
-- flag back to false starts it again. Anyone may write it:
--   UPDATE supervisor_processes SET paused = TRUE  WHERE name = 'mailer';   -- pause
--   UPDATE supervisor_processes SET paused = FALSE WHERE name = 'mailer';   -- resume
ALTER TABLE supervisor_processes ADD COLUMN paused BOOLEAN NOT NULL DEFAULT FALSE;
