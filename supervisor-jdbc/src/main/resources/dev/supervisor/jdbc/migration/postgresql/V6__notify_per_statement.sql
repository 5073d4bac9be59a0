-- PostgreSQL: one trigger call per statement instead of per row, reading the statement's rows from
-- its transition tables. A statement that changed at most 64 keys announces each of them (the
-- supervisor checks those keys alone); one that changed more sends a single empty notification
-- ("rows changed": one full pass), so a bulk INSERT ... SELECT of 10,000 rows costs one
-- notification, not 10,000. TRUNCATE sends an empty notification too.
--
-- Attach it to your own table with the key column's name as argument (transition tables allow one
-- event per trigger, hence one trigger per event; see docs/jdbc.md for the full recipe):
--   CREATE TRIGGER jobs_notify_insert AFTER INSERT ON app.jobs REFERENCING NEW TABLE AS new_rows
--       FOR EACH STATEMENT EXECUTE FUNCTION supervisor.supervisor_notify_rows('job_id');
CREATE FUNCTION supervisor_notify_rows() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    channel    CONSTANT text := 'supervisor_' || TG_RELID::text;
    key_column CONSTANT text := COALESCE(TG_ARGV[0], 'name');
    max_keys   CONSTANT integer := 64;
    keys       text[];
    changed    text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify(channel, '');
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(r.k) INTO keys
            FROM (SELECT to_jsonb(n) ->> key_column AS k FROM new_rows n LIMIT max_keys + 1) r;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(r.k) INTO keys
            FROM (SELECT to_jsonb(o) ->> key_column AS k FROM old_rows o LIMIT max_keys + 1) r;
    ELSE
        SELECT array_agg(DISTINCT r.k) INTO keys
            FROM ((SELECT to_jsonb(n) ->> key_column AS k FROM new_rows n LIMIT max_keys + 1)
                  UNION ALL (SELECT to_jsonb(o) ->> key_column FROM old_rows o LIMIT max_keys + 1)) r;
    END IF;
    IF keys IS NULL THEN
        RETURN NULL; -- the statement changed no row
    END IF;
    IF cardinality(keys) > max_keys THEN
        PERFORM pg_notify(channel, '');
        RETURN NULL;
    END IF;
    FOREACH changed IN ARRAY keys LOOP
        PERFORM pg_notify(channel, CASE WHEN octet_length(changed) > 7000 THEN '' ELSE changed END);
    END LOOP;
    RETURN NULL;
END
$$;

DROP TRIGGER supervisor_processes_notify ON supervisor_processes;

CREATE TRIGGER supervisor_processes_notify_insert
    AFTER INSERT ON supervisor_processes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION supervisor_notify_rows('name');

CREATE TRIGGER supervisor_processes_notify_update
    AFTER UPDATE ON supervisor_processes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION supervisor_notify_rows('name');

CREATE TRIGGER supervisor_processes_notify_delete
    AFTER DELETE ON supervisor_processes REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION supervisor_notify_rows('name');
