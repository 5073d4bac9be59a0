-- Supervision groups. A row names its group in group_name (NULL: no group) and its place in the
-- group's order in group_position (ascending; ties broken by the key). The group's policy is a row
-- of supervisor_groups; a group named by rows but absent there is ONE_FOR_ONE without a limit.
--   INSERT INTO supervisor_groups (name, strategy, max_restarts, period_ms)
--       VALUES ('pipeline', 'ONE_FOR_ALL', 3, 60000);
--   UPDATE supervisor_processes SET group_name = 'pipeline', group_position = 1 WHERE name = 'reader';
ALTER TABLE supervisor_processes ADD COLUMN group_name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL;
ALTER TABLE supervisor_processes ADD COLUMN group_position BIGINT NOT NULL DEFAULT 0;

-- strategy: ONE_FOR_ONE, ONE_FOR_ALL or REST_FOR_ONE. More than max_restarts restarts within
-- period_ms milliseconds give the whole group up (its members GIVEN_UP until one is reset).
CREATE TABLE supervisor_groups (
    name         VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    strategy     VARCHAR(16)  NOT NULL,
    max_restarts INTEGER      NOT NULL DEFAULT 3,
    period_ms    BIGINT       NOT NULL DEFAULT 5000,
    CONSTRAINT supervisor_groups_strategy CHECK (strategy IN ('ONE_FOR_ONE', 'ONE_FOR_ALL', 'REST_FOR_ONE')),
    CONSTRAINT supervisor_groups_max_restarts CHECK (max_restarts >= 0),
    CONSTRAINT supervisor_groups_period CHECK (period_ms > 0)
) ENGINE=InnoDB;
