"""The triggers that keep donors_donormonth (models.DonorMonth) true, and a rebuild from the drop-offs.

The companion of donors.milk_months for the reports' "donors who gave milk": one row per UTC month and donor
with the number of that donor's counted drop-offs received in it (rows at 0 are deleted). Every insert,
delete and change of a drop-off's time, donor or status moves it in the same statement. Milk marked "not
used" or voided counts nowhere, as in MilkMonth. Raw SQL only (no models): the migration uses it as it stands.
"""

from django.db import connection as default_connection

_UNCOUNTED = "('rejected', 'voided')"
_PG_MONTH = "date_trunc('month', {row}.received_at AT TIME ZONE 'UTC')::date"

PG_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION donors_donormonth_apply() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' AND OLD.status NOT IN {_UNCOUNTED} THEN
            UPDATE donors_donormonth SET dropoffs = dropoffs - 1
            WHERE month = {_PG_MONTH.format(row="OLD")} AND donor_key = OLD.donor_id;
            DELETE FROM donors_donormonth
            WHERE month = {_PG_MONTH.format(row="OLD")} AND donor_key = OLD.donor_id AND dropoffs <= 0;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status NOT IN {_UNCOUNTED} THEN
            INSERT INTO donors_donormonth (month, donor_key, dropoffs)
            VALUES ({_PG_MONTH.format(row="NEW")}, NEW.donor_id, 1)
            ON CONFLICT (month, donor_key) DO UPDATE SET dropoffs = donors_donormonth.dropoffs + 1;
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,  # noqa: S608 - constant SQL
    """
    CREATE TRIGGER donors_donormonth_sync
    AFTER INSERT OR DELETE OR UPDATE OF received_at, donor_id, status
    ON donors_dropoff FOR EACH ROW EXECUTE FUNCTION donors_donormonth_apply();
    """,
    """
    CREATE OR REPLACE FUNCTION donors_donormonth_clear() RETURNS trigger AS $$
    BEGIN
        DELETE FROM donors_donormonth;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER donors_donormonth_truncate AFTER TRUNCATE ON donors_dropoff
    FOR EACH STATEMENT EXECUTE FUNCTION donors_donormonth_clear();
    """,
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS donors_donormonth_truncate ON donors_dropoff;",
    "DROP TRIGGER IF EXISTS donors_donormonth_sync ON donors_dropoff;",
    "DROP FUNCTION IF EXISTS donors_donormonth_clear();",
    "DROP FUNCTION IF EXISTS donors_donormonth_apply();",
]


def _sqlite_key(row: str) -> str:
    return f"month = strftime('%Y-%m-01', {row}.received_at) AND donor_key = {row}.donor_id"


def _sqlite_in(row: str) -> str:
    return f"""
        INSERT OR IGNORE INTO donors_donormonth (month, donor_key, dropoffs)
        VALUES (strftime('%Y-%m-01', {row}.received_at), {row}.donor_id, 0);
        UPDATE donors_donormonth SET dropoffs = dropoffs + 1 WHERE {_sqlite_key(row)};"""  # noqa: S608


def _sqlite_out(row: str) -> str:
    return f"""
        UPDATE donors_donormonth SET dropoffs = dropoffs - 1 WHERE {_sqlite_key(row)};
        DELETE FROM donors_donormonth WHERE {_sqlite_key(row)} AND dropoffs <= 0;"""  # noqa: S608


_CHANGED = "UPDATE OF received_at, donor_id, status"
_SQLITE_TRIGGERS = [  # name, event, the row, in or out
    ("insert", "INSERT", "NEW", _sqlite_in),
    ("delete", "DELETE", "OLD", _sqlite_out),
    ("update_old", _CHANGED, "OLD", _sqlite_out),
    ("update_new", _CHANGED, "NEW", _sqlite_in),
]
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER donors_donormonth_{name} AFTER {event} ON donors_dropoff
    WHEN {row}.status NOT IN {_UNCOUNTED}
    BEGIN{body(row)}
    END;
    """
    for name, event, row, body in _SQLITE_TRIGGERS
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS donors_donormonth_{name};" for name, *_ in _SQLITE_TRIGGERS]

_MONTH = {
    "postgresql": "date_trunc('month', received_at AT TIME ZONE 'UTC')::date",
    "sqlite": "strftime('%Y-%m-01', received_at)",
}


def rebuild(connection=default_connection) -> None:
    """Recompute every row from the drop-offs (after a bulk load that bypassed the triggers)."""
    month = _MONTH[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM donors_donormonth")
        cursor.execute(
            "INSERT INTO donors_donormonth (month, donor_key, dropoffs) "  # noqa: S608 - constant SQL
            f"SELECT {month}, donor_id, COUNT(*) FROM donors_dropoff "
            f"WHERE status NOT IN {_UNCOUNTED} GROUP BY {month}, donor_id"
        )


def install(connection, *, forward: bool = True) -> None:
    if connection.vendor == "postgresql":
        statements = PG_FORWARD if forward else PG_REVERSE
    elif connection.vendor == "sqlite":
        statements = SQLITE_FORWARD if forward else SQLITE_REVERSE
    else:
        raise NotImplementedError(f"No donor-month triggers for {connection.vendor}.")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
