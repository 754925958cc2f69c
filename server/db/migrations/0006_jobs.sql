-- The job system (server/jobs, pg-boss in schema pgboss) replaces the outbox table. Sibling discovery moves from
-- triggers into addSibling/removeSibling (server/domain/instance/siblings.ts), which queue and cancel jobs in the
-- same transaction. The outbox's remaining rows are moved into the job queues by migrate() (server/db/migrate.ts)
-- before the table is dropped.
DROP TRIGGER IF EXISTS siblings_after_insert ON siblings;
DROP TRIGGER IF EXISTS siblings_after_delete ON siblings;
DROP FUNCTION IF EXISTS ruche_siblings_after_insert();
DROP FUNCTION IF EXISTS ruche_siblings_after_delete();
