"""The triggers that keep donors_milkmonth (models.MilkMonth) true, and a rebuild from the drop-offs.

Every insert, delete and change of a drop-off's month, depot, channel, use, volume or status moves its
millilitres between the summary rows in the same statement: the old values out, the new ones in; milk
marked "not used" (rejected) or voided as logged by mistake counts nowhere (DropOff.Status.not_counted).
Months are UTC months, so no time zone is baked in here.
Raw SQL only (no models): migration 0012 uses it as it stands.
"""

from django.db import connection as default_connection

_KEY = "month, depot_key, channel, use"
_UNCOUNTED = "('rejected', 'voided')"

# --- PostgreSQL --------------------------------------------------------------------------------------

_PG_ADD = f"""
        INSERT INTO donors_milkmonth ({_KEY}, volume_ml, dropoffs)
        VALUES (date_trunc('month', {{row}}.received_at AT TIME ZONE 'UTC')::date,
                COALESCE({{row}}.depot_id, 0), {{row}}.channel, {{row}}."use",
                {{sign}}{{row}}.volume_ml, {{sign}}1)
        ON CONFLICT ({_KEY}) DO UPDATE SET
            volume_ml = donors_milkmonth.volume_ml + EXCLUDED.volume_ml,
            dropoffs = donors_milkmonth.dropoffs + EXCLUDED.dropoffs;"""  # noqa: S608 - constant SQL

PG_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION donors_milkmonth_apply() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' AND OLD.status NOT IN {_UNCOUNTED} THEN{_PG_ADD.format(row="OLD", sign="-")}
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status NOT IN {_UNCOUNTED} THEN{_PG_ADD.format(row="NEW", sign="")}
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER donors_milkmonth_sync
    AFTER INSERT OR DELETE OR UPDATE OF received_at, depot_id, channel, "use", volume_ml, status
    ON donors_dropoff FOR EACH ROW EXECUTE FUNCTION donors_milkmonth_apply();
    """,
    """
    CREATE OR REPLACE FUNCTION donors_milkmonth_clear() RETURNS trigger AS $$
    BEGIN
        DELETE FROM donors_milkmonth;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER donors_milkmonth_truncate AFTER TRUNCATE ON donors_dropoff
    FOR EACH STATEMENT EXECUTE FUNCTION donors_milkmonth_clear();
    """,
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS donors_milkmonth_truncate ON donors_dropoff;",
    "DROP TRIGGER IF EXISTS donors_milkmonth_sync ON donors_dropoff;",
    "DROP FUNCTION IF EXISTS donors_milkmonth_clear();",
    "DROP FUNCTION IF EXISTS donors_milkmonth_apply();",
]

# --- SQLite (no UPSERT in trigger bodies on every version: insert the key, then add) -----------------


def _sqlite_add(row: str, sign: str) -> str:
    month = f"strftime('%Y-%m-01', {row}.received_at)"
    key = f'{month}, COALESCE({row}.depot_id, 0), {row}.channel, {row}."use"'
    return f"""
        INSERT OR IGNORE INTO donors_milkmonth ({_KEY}, volume_ml, dropoffs) VALUES ({key}, 0, 0);
        UPDATE donors_milkmonth SET volume_ml = volume_ml {sign} {row}.volume_ml, dropoffs = dropoffs {sign} 1
        WHERE month = {month} AND depot_key = COALESCE({row}.depot_id, 0)
          AND channel = {row}.channel AND "use" = {row}."use";"""  # noqa: S608 - constant SQL


_CHANGED = 'UPDATE OF received_at, depot_id, channel, "use", volume_ml, status'
_SQLITE_TRIGGERS = [  # name, event, the row whose milk moves, in (+) or out (-)
    ("insert", "INSERT", "NEW", "+"),
    ("delete", "DELETE", "OLD", "-"),
    ("update_old", _CHANGED, "OLD", "-"),
    ("update_new", _CHANGED, "NEW", "+"),
]
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER donors_milkmonth_{name} AFTER {event} ON donors_dropoff
    WHEN {row}.status NOT IN ('rejected', 'voided')
    BEGIN{_sqlite_add(row, sign)}
    END;
    """
    for name, event, row, sign in _SQLITE_TRIGGERS
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS donors_milkmonth_{name};" for name, *_ in _SQLITE_TRIGGERS]

_MONTH = {
    "postgresql": "date_trunc('month', received_at AT TIME ZONE 'UTC')::date",
    "sqlite": "strftime('%Y-%m-01', received_at)",
}


def rebuild(connection=default_connection) -> None:
    """Recompute every summary row from the drop-offs (after a bulk load that bypassed the triggers)."""
    month = _MONTH[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM donors_milkmonth")
        cursor.execute(
            f"INSERT INTO donors_milkmonth ({_KEY}, volume_ml, dropoffs) "  # noqa: S608 - constant SQL
            f'SELECT {month}, COALESCE(depot_id, 0), channel, "use", SUM(volume_ml), COUNT(*) '
            "FROM donors_dropoff WHERE status NOT IN ('rejected', 'voided') "
            f'GROUP BY {month}, COALESCE(depot_id, 0), channel, "use"'
        )


def install(connection, *, forward: bool = True) -> None:
    if connection.vendor == "postgresql":
        statements = PG_FORWARD if forward else PG_REVERSE
    elif connection.vendor == "sqlite":
        statements = SQLITE_FORWARD if forward else SQLITE_REVERSE
    else:
        raise NotImplementedError(f"No milk-month triggers for {connection.vendor}.")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
