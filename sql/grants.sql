-- The service role's rights: rows only, never the schema.  deploy/migrate.sh
-- applies this after every run (with --app-role), so a table that a later
-- migration adds gets the same rights as the others.  A table that needs
-- less than read and write for the service says so here.
--   psql -v app_role=hgkm_app -f sql/grants.sql
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'app_role') \gexec
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
-- The audit log is append-only for the service.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM :"app_role";
-- Which migrations ran is the migrating role's business.
REVOKE ALL ON schema_migrations FROM :"app_role";
