-- Least-privilege PostgreSQL roles for Prevent Hub (docs/deployment.md section 25).
--
-- Run with psql (it fills in :DBNAME) as a superuser, in the application's database:
--   psql -v ON_ERROR_STOP=1 -d prevent_hub -f docs/deployment/postgres-roles.sql
-- then set the passwords (or client certificates) outside this file:
--   \password prevent_hub_owner        \password prevent_hub_app
--
-- prevent_hub_owner owns the schema and runs `manage.py migrate` (DATABASE_URL of the
--   release step only). It is never in the web servers' environment.
-- prevent_hub_app is what gunicorn, db_worker, run_scheduler and seal_audit connect as:
--   rows in, out, changed and deleted, nothing else: no TRUNCATE, no ALTER or DROP
--   (it owns nothing), no CREATE in the schema, no REFERENCES or TRIGGER.
-- prevent_hub_report (optional) reads the replica for reports (DATABASE_REPLICA_URL).

CREATE ROLE prevent_hub_owner LOGIN;
CREATE ROLE prevent_hub_app LOGIN;
CREATE ROLE prevent_hub_report LOGIN;

ALTER DATABASE :"DBNAME" OWNER TO prevent_hub_owner;
ALTER SCHEMA public OWNER TO prevent_hub_owner;
REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"DBNAME" TO prevent_hub_app;
GRANT CONNECT ON DATABASE :"DBNAME" TO prevent_hub_report;
GRANT USAGE ON SCHEMA public TO prevent_hub_app, prevent_hub_report;

-- Tables and sequences the owner creates from now on (every later migration)...
ALTER DEFAULT PRIVILEGES FOR ROLE prevent_hub_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO prevent_hub_app;
ALTER DEFAULT PRIVILEGES FOR ROLE prevent_hub_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO prevent_hub_app;
ALTER DEFAULT PRIVILEGES FOR ROLE prevent_hub_owner IN SCHEMA public
    GRANT SELECT ON TABLES TO prevent_hub_report;

-- ...and those that exist already (run the file again after restoring a backup into a new database).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO prevent_hub_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO prevent_hub_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO prevent_hub_report;

-- The audit trail: rows are added and read. The trigger audit_event_append_only
-- (prevent_hub/audit/migrations/0004_sealed_chain.py) refuses every UPDATE but
-- sealing an unsealed event and every DELETE outside audit retention, whoever
-- asks; these grants stop the application role from dropping or emptying it
-- around the trigger.
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM prevent_hub_app;
ALTER DEFAULT PRIVILEGES FOR ROLE prevent_hub_owner IN SCHEMA public
    REVOKE TRUNCATE, REFERENCES, TRIGGER ON TABLES FROM prevent_hub_app;
