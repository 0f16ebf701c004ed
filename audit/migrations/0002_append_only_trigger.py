"""The access log refuses UPDATE, DELETE and TRUNCATE below the ORM (PostgreSQL only).

The model and its queryset already refuse; this catches raw SQL and anything
else that bypasses them. It does not stop the table's owner, who may drop the
trigger: that needs a separate, non-owning database role for the app.

Django's `flush` (run between transactional tests, and by `manage.py flush`)
truncates every table at once; it works only in a session that has run
`SET audit.allow_truncate = on`. UPDATE has no such way out; DELETE got one for retention only
(0005_retention_delete.py).
On SQLite this migration does nothing.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION audit_accessevent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('audit.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'audit_accessevent is append-only: ' || TG_OP || ' refused';
END
$$;
CREATE TRIGGER audit_accessevent_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accessevent_refuse_change();
CREATE TRIGGER audit_accessevent_no_truncate
    BEFORE TRUNCATE ON audit_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accessevent_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_accessevent_no_truncate ON audit_accessevent;
DROP TRIGGER IF EXISTS audit_accessevent_no_update_delete ON audit_accessevent;
DROP FUNCTION IF EXISTS audit_accessevent_refuse_change();
"""


def on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no %-interpolation

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD), elidable=False)]
