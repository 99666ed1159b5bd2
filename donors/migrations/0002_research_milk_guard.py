"""Rule 7 in the database: research milk can never enter clinical use.

A CHECK constraint cannot look at another table, so triggers hold the rule on both databases:
- a clinical drop-off must belong to a clinical-pathway donor who is approved when it is recorded;
- a research drop-off can never be turned into a clinical one;
- a donor with clinical drop-offs cannot be moved to the research pathway (that would relabel their milk).
Each refusal is an integrity error whose message starts with the rule's name.
"""

from django.db import migrations

MSG_DONOR = "donors_dropoff_clinical_donor: clinical milk needs an approved donor on the clinical pathway"
MSG_RESEARCH = "donors_dropoff_research_stays_research: research milk can never become clinical"
MSG_PATHWAY = "donors_donor_pathway_keeps_clinical_milk: this donor has milk for babies on record"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER donors_dropoff_clinical_insert BEFORE INSERT ON donors_dropoff
    WHEN NEW."use" = 'clinical' AND NOT EXISTS (
        SELECT 1 FROM donors_donor d WHERE d.id = NEW.donor_id AND d.pathway = 'clinical' AND d.stage = 'approved')
    BEGIN SELECT RAISE(ABORT, '{MSG_DONOR}'); END;
    """,
    f"""
    CREATE TRIGGER donors_dropoff_research_update BEFORE UPDATE ON donors_dropoff
    WHEN NEW."use" = 'clinical' AND OLD."use" = 'research'
    BEGIN SELECT RAISE(ABORT, '{MSG_RESEARCH}'); END;
    """,
    f"""
    CREATE TRIGGER donors_dropoff_clinical_update BEFORE UPDATE ON donors_dropoff
    WHEN NEW."use" = 'clinical' AND NOT EXISTS (
        SELECT 1 FROM donors_donor d WHERE d.id = NEW.donor_id AND d.pathway = 'clinical')
    BEGIN SELECT RAISE(ABORT, '{MSG_DONOR}'); END;
    """,
    f"""
    CREATE TRIGGER donors_donor_pathway_update BEFORE UPDATE OF pathway ON donors_donor
    WHEN NEW.pathway = 'research' AND EXISTS (
        SELECT 1 FROM donors_dropoff o WHERE o.donor_id = NEW.id AND o."use" = 'clinical')
    BEGIN SELECT RAISE(ABORT, '{MSG_PATHWAY}'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS donors_dropoff_clinical_insert;",
    "DROP TRIGGER IF EXISTS donors_dropoff_research_update;",
    "DROP TRIGGER IF EXISTS donors_dropoff_clinical_update;",
    "DROP TRIGGER IF EXISTS donors_donor_pathway_update;",
]

PG_FORWARD = [
    f"""
    CREATE FUNCTION donors_dropoff_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW."use" = 'clinical' AND OLD."use" = 'research' THEN
            RAISE EXCEPTION '{MSG_RESEARCH}' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW."use" = 'clinical' AND NOT EXISTS (
            SELECT 1 FROM donors_donor d WHERE d.id = NEW.donor_id AND d.pathway = 'clinical'
              AND (TG_OP = 'UPDATE' OR d.stage = 'approved')) THEN
            RAISE EXCEPTION '{MSG_DONOR}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER donors_dropoff_guard BEFORE INSERT OR UPDATE ON donors_dropoff
    FOR EACH ROW EXECUTE FUNCTION donors_dropoff_guard();
    """,
    f"""
    CREATE FUNCTION donors_donor_pathway_guard() RETURNS trigger AS $$
    BEGIN
        IF NEW.pathway = 'research' AND OLD.pathway <> 'research' AND EXISTS (
            SELECT 1 FROM donors_dropoff o WHERE o.donor_id = NEW.id AND o."use" = 'clinical') THEN
            RAISE EXCEPTION '{MSG_PATHWAY}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER donors_donor_pathway_guard BEFORE UPDATE OF pathway ON donors_donor
    FOR EACH ROW EXECUTE FUNCTION donors_donor_pathway_guard();
    """,
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS donors_dropoff_guard ON donors_dropoff;",
    "DROP FUNCTION IF EXISTS donors_dropoff_guard();",
    "DROP TRIGGER IF EXISTS donors_donor_pathway_guard ON donors_donor;",
    "DROP FUNCTION IF EXISTS donors_donor_pathway_guard();",
]


def forward(apps, schema_editor):
    """Create the guard. Also used after later migrations that rebuild these tables on SQLite."""
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No research-milk guard written for {vendor}; add one before using it.")
    for sql in statements:
        schema_editor.execute(sql)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": PG_REVERSE}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("donors", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
