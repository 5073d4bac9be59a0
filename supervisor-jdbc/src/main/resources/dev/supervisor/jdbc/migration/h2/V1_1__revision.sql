-- H2: every insert and update takes the next revision, so the change poller notices it with
-- SELECT COUNT(*), MAX(revision) (deletes change the count).
CREATE SEQUENCE supervisor_revision_seq;
ALTER TABLE supervisor_processes ALTER COLUMN revision SET DEFAULT NEXT VALUE FOR supervisor_revision_seq;
ALTER TABLE supervisor_processes ALTER COLUMN revision SET ON UPDATE NEXT VALUE FOR supervisor_revision_seq;
ALTER TABLE supervisor_processes ALTER COLUMN updated_at SET ON UPDATE CURRENT_TIMESTAMP;
