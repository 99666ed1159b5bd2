"""A butterfly's place is never beyond what its quilt holds: position <= quilt.capacity, in the database.

Why triggers and not a copied `quilt_capacity` column checked by a CHECK constraint: a copy is only as true as
whatever keeps it in step. `Butterfly.objects.filter(...).update(quilt_capacity=999, position=500)` would pass a
CHECK happily, and shrinking a quilt's capacity would leave every copy stale. Making the copy trustworthy needs a
composite foreign key (quilt_id, capacity) with ON UPDATE CASCADE, which Django cannot declare. A trigger reads
the real capacity at the moment of every write, so nothing that goes through SQL (the ORM used directly, a bulk
update, a data migration, a psql session) can overfill a quilt, on SQLite or PostgreSQL. The donors app guards
research milk the same way. The triggers:
- refuse a butterfly placed beyond its quilt's capacity (insert, or an update of its quilt or place);
- refuse lowering a quilt's capacity below the highest place already filled.
On PostgreSQL the butterfly check reads the quilt row FOR SHARE, so a concurrent capacity change waits for the
placement to commit (and then sees it) instead of both passing on stale reads. SQLite has one writer at a time.
Each refusal is an integrity error whose message starts with the rule's name.
Careful: on SQLite, a later migration that alters these tables rebuilds them and drops their triggers; such a
migration must run `forward` again (tests/memorials/test_constraints.py fails if the guard goes missing).
"""

from django.db import migrations

MSG_PLACE = "memorials_butterfly_within_capacity: that place is beyond what the quilt holds"
MSG_CAPACITY = "memorials_quilt_capacity_holds_butterflies: butterflies already sit beyond that capacity"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER memorials_butterfly_capacity_insert BEFORE INSERT ON memorials_butterfly
    WHEN NEW.quilt_id IS NOT NULL AND (
        NEW.position IS NULL
        OR NEW.position > (SELECT q.capacity FROM memorials_quilt q WHERE q.id = NEW.quilt_id))
    BEGIN SELECT RAISE(ABORT, '{MSG_PLACE}'); END;
    """,
    f"""
    CREATE TRIGGER memorials_butterfly_capacity_update BEFORE UPDATE OF quilt_id, position ON memorials_butterfly
    WHEN NEW.quilt_id IS NOT NULL AND (
        NEW.position IS NULL
        OR NEW.position > (SELECT q.capacity FROM memorials_quilt q WHERE q.id = NEW.quilt_id))
    BEGIN SELECT RAISE(ABORT, '{MSG_PLACE}'); END;
    """,
    f"""
    CREATE TRIGGER memorials_quilt_capacity_update BEFORE UPDATE OF capacity ON memorials_quilt
    WHEN NEW.capacity < (SELECT MAX(b.position) FROM memorials_butterfly b WHERE b.quilt_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, '{MSG_CAPACITY}'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS memorials_butterfly_capacity_insert;",
    "DROP TRIGGER IF EXISTS memorials_butterfly_capacity_update;",
    "DROP TRIGGER IF EXISTS memorials_quilt_capacity_update;",
]

PG_FORWARD = [
    f"""
    CREATE FUNCTION memorials_butterfly_capacity_guard() RETURNS trigger AS $$
    DECLARE
        quilt_capacity integer;
    BEGIN
        IF NEW.quilt_id IS NULL THEN
            RETURN NEW;
        END IF;
        SELECT q.capacity INTO quilt_capacity FROM memorials_quilt q WHERE q.id = NEW.quilt_id FOR SHARE;
        IF NEW.position IS NULL OR quilt_capacity IS NULL OR NEW.position > quilt_capacity THEN
            RAISE EXCEPTION '{MSG_PLACE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER memorials_butterfly_capacity_guard BEFORE INSERT OR UPDATE OF quilt_id, position
    ON memorials_butterfly FOR EACH ROW EXECUTE FUNCTION memorials_butterfly_capacity_guard();
    """,
    f"""
    CREATE FUNCTION memorials_quilt_capacity_guard() RETURNS trigger AS $$
    BEGIN
        IF NEW.capacity < (SELECT MAX(b.position) FROM memorials_butterfly b WHERE b.quilt_id = NEW.id) THEN
            RAISE EXCEPTION '{MSG_CAPACITY}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER memorials_quilt_capacity_guard BEFORE UPDATE OF capacity ON memorials_quilt
    FOR EACH ROW EXECUTE FUNCTION memorials_quilt_capacity_guard();
    """,
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS memorials_butterfly_capacity_guard ON memorials_butterfly;",
    "DROP FUNCTION IF EXISTS memorials_butterfly_capacity_guard();",
    "DROP TRIGGER IF EXISTS memorials_quilt_capacity_guard ON memorials_quilt;",
    "DROP FUNCTION IF EXISTS memorials_quilt_capacity_guard();",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No quilt capacity guard written for {vendor}; add one before using it.")
    for sql in statements:
        schema_editor.execute(sql)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": PG_REVERSE}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("memorials", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
