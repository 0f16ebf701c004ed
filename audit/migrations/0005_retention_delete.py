"""Retention is the one lawful way a DELETE reaches the access log (PostgreSQL only).

The trigger function of 0002 is replaced: a DELETE passes only in a transaction that has run
`SET LOCAL audit.allow_retention_delete = 'on'`, which `audit.log.erase_events` does and nothing else.
UPDATE is still always refused; TRUNCATE keeps its `audit.allow_truncate` way out. Going back restores
the function of 0002. On SQLite this migration does nothing.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_accessevent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('audit.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' AND current_setting('audit.allow_retention_delete', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'audit_accessevent is append-only: ' || TG_OP || ' refused';
END
$$;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION audit_accessevent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('audit.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'audit_accessevent is append-only: ' || TG_OP || ' refused';
END
$$;
"""


def on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no %-interpolation

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_object_index")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD), elidable=False)]
