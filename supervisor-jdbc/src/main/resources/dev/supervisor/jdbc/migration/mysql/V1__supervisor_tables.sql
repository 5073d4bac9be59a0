-- MariaDB 10.6+ and MySQL 8.0+ (InnoDB): the supervisor's tables, in one folder of their own (the
-- other databases share migration/common). Times are TIMESTAMP(6), instants stored in UTC whatever
-- the session's time zone; every TIMESTAMP column states its default, so that no server setting
-- (explicit_defaults_for_timestamp) adds one. Keys are compared byte for byte (utf8mb4_bin), as
-- on PostgreSQL and H2.

-- The change log: every insert, update and delete of a watched table, logged by its triggers in
-- the writer's transaction. Supervisors read the entries after the highest id they have seen, so
-- every change is noticed by key at the next check, however changes interleave. op: I (insert),
-- U (update), D (delete). Entries older than ten minutes are pruned by the readers. An entry's id is
-- also the revision of the row it logs (see the triggers below).
CREATE TABLE supervisor_changes (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    table_name  VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    name        VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    op          CHAR(1)      NOT NULL
) ENGINE=InnoDB;

-- Logs one change and returns its entry's id, which is also the changed row's new revision. The
-- triggers of a table call it, in the writer's transaction:
--   BEFORE INSERT, BEFORE UPDATE: SET NEW.revision = supervisor_log_change('<table>', NEW.<key>, 'I' or 'U');
--   AFTER DELETE: DO supervisor_log_change('<table>', OLD.<key>, 'D');
-- (docs/jdbc.md has the recipe for a table of your own.)
DELIMITER //
CREATE FUNCTION supervisor_log_change(changed_table VARCHAR(128), changed_key VARCHAR(512), change_op CHAR(1))
    RETURNS BIGINT NOT DETERMINISTIC MODIFIES SQL DATA
BEGIN
    INSERT INTO supervisor_changes (table_name, name, op) VALUES (changed_table, changed_key, change_op);
    RETURN LAST_INSERT_ID();
END//
DELIMITER ;

-- The desired state: one row per process that should run. The supervisor reads it; anyone may write it.
-- "revision" and "updated_at" are maintained by the database: every insert and update takes the id
-- of its change log entry as its revision.
CREATE TABLE supervisor_processes (
    name        VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    payload     LONGTEXT,
    revision    BIGINT       NOT NULL DEFAULT 0,
    created_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB;

CREATE INDEX supervisor_processes_revision ON supervisor_processes (revision);

CREATE TRIGGER supervisor_processes_insert BEFORE INSERT ON supervisor_processes FOR EACH ROW
    SET NEW.revision = supervisor_log_change('supervisor_processes', NEW.name, 'I');

DELIMITER //
CREATE TRIGGER supervisor_processes_update BEFORE UPDATE ON supervisor_processes FOR EACH ROW
BEGIN
    SET NEW.revision = supervisor_log_change('supervisor_processes', NEW.name, 'U');
    SET NEW.updated_at = CURRENT_TIMESTAMP(6);
END//
DELIMITER ;

-- A row whose key changes: its old key is gone.
CREATE TRIGGER supervisor_processes_rekey AFTER UPDATE ON supervisor_processes FOR EACH ROW
    DO IF(NEW.name <=> OLD.name, 0, supervisor_log_change('supervisor_processes', OLD.name, 'D'));

CREATE TRIGGER supervisor_processes_delete AFTER DELETE ON supervisor_processes FOR EACH ROW
    DO supervisor_log_change('supervisor_processes', OLD.name, 'D');

-- The observed state: what each node's supervisor is doing about each key. Written in batches by StatusWriter.
CREATE TABLE supervisor_status (
    name            VARCHAR(512)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    node            VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    attempt         INTEGER       NOT NULL,
    restarts        INTEGER       NOT NULL,
    pid             BIGINT        NULL,
    started_at      TIMESTAMP(6)  NULL DEFAULT NULL,
    running_since   TIMESTAMP(6)  NULL DEFAULT NULL,
    next_attempt_at TIMESTAMP(6)  NULL DEFAULT NULL,
    exited_at       TIMESTAMP(6)  NULL DEFAULT NULL,
    last_exit       VARCHAR(16)   NULL,
    last_error      VARCHAR(4000) NULL,
    updated_at      TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (name, node)
) ENGINE=InnoDB;
