-- SECURITY DEFINER functions run as the owner, so nobody may call them directly: PostgreSQL gives every
-- new function EXECUTE to PUBLIC, and etl_emit_webhook called by hand would queue a signed delivery of
-- any content for any organisation. Triggers fire whatever their caller may execute, so the key's
-- trigger now runs as the owner too, as the run's does, and no role needs etl_emit_webhook itself.
-- server/db/roles.ts takes these back from the web role on every start (it grants it the schema's
-- functions) and from PUBLIC for any later definer function.
CREATE OR REPLACE FUNCTION etl_key_webhook_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM etl_emit_webhook(NEW."orgId", 'key.revoked', NULL, json_build_object(
    'id', NEW.id, 'name', NEW.name, 'selector', NEW.selector, 'revokedAt', etl_iso(NEW."revokedAt")));
  RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION etl_emit_webhook(uuid, text, uuid, json) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION etl_run_webhook_event() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION etl_key_webhook_event() FROM PUBLIC;
