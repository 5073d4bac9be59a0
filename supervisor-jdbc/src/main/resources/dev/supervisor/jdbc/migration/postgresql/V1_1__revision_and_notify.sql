-- PostgreSQL: every insert and update takes the next revision, and every change is announced
-- with pg_notify('supervisor_' || <table oid>, <key>), so a supervisor LISTENing reacts at once.
CREATE SEQUENCE supervisor_revision_seq;
ALTER TABLE supervisor_processes ALTER COLUMN revision SET DEFAULT nextval('supervisor_revision_seq');

CREATE FUNCTION supervisor_touch() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    NEW.revision := nextval('supervisor_revision_seq');
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER supervisor_processes_touch
    BEFORE UPDATE ON supervisor_processes
    FOR EACH ROW EXECUTE FUNCTION supervisor_touch();

-- Generic: attach it to your own table with the key column's name as argument, e.g.
--   CREATE TRIGGER my_jobs_notify AFTER INSERT OR UPDATE OR DELETE ON my_jobs
--       FOR EACH ROW EXECUTE FUNCTION supervisor_notify_change('id');
-- An empty payload (TRUNCATE, or a key longer than a notification may carry) means "rows changed".
CREATE FUNCTION supervisor_notify_change() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    channel    CONSTANT text := 'supervisor_' || TG_RELID::text;
    key_column CONSTANT text := COALESCE(TG_ARGV[0], 'name');
    new_key    text;
    old_key    text;
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        PERFORM pg_notify(channel, '');
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_key := to_jsonb(NEW) ->> key_column;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_key := to_jsonb(OLD) ->> key_column;
    END IF;
    IF new_key IS NOT NULL THEN
        PERFORM pg_notify(channel, CASE WHEN octet_length(new_key) > 7000 THEN '' ELSE new_key END);
    END IF;
    IF old_key IS NOT NULL AND old_key IS DISTINCT FROM new_key THEN
        PERFORM pg_notify(channel, CASE WHEN octet_length(old_key) > 7000 THEN '' ELSE old_key END);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER supervisor_processes_notify
    AFTER INSERT OR UPDATE OR DELETE ON supervisor_processes
    FOR EACH ROW EXECUTE FUNCTION supervisor_notify_change('name');

CREATE TRIGGER supervisor_processes_notify_truncate
    AFTER TRUNCATE ON supervisor_processes
    FOR EACH STATEMENT EXECUTE FUNCTION supervisor_notify_change();
