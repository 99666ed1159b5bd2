"""Corrections to the starter pages (issue 15), and an editor-managed list of keepsake makers.

Each starter page is updated only while its text is still exactly what 0002 wrote: a page an editor has
changed keeps the editor's words (the admin shows the same corrections to make by hand, if wanted).
The new texts are the old ones with the replacements below, so what changed is plain to read here.
"""

import importlib

from django.db import migrations, models

STARTER = importlib.import_module("resources.migrations.0002_starter_content")

# slug -> field -> [(old words, new words)]
CORRECTIONS = {
    "lactation-after-loss": {
        "body": [
            (
                "The hormones that rise once the placenta is delivered tell your breasts to make milk.",
                "When the placenta is delivered, the pregnancy hormones that held milk back fall, and that "
                "change tells\nyour breasts to make milk.",
            ),
            (
                "- **Donate your milk** to babies who are small or sick in hospital. See [Donating after loss](/donating-after-loss/).",
                "- **Donate your milk** to babies who are small or sick in hospital, in memory of your baby. See\n"
                "  [Donating after loss](/donating-after-loss/).",
            ),
        ],
    },
    "suppressing-your-supply": {
        "body": [
            (
                "- **Take mild pain relief** if you need it. A pharmacist or your provider can tell you what suits you.",
                "- **Take a pain reliever** such as ibuprofen or acetaminophen, if they are safe for you. They ease\n"
                "  pain and swelling. A pharmacist or your provider can tell you what suits you.",
            ),
            (
                "Stopping all at once can be painful if you have been expressing several times a day. Dropping one session\n"
                "every few days is gentler on your body.",
                "Stopping all at once can be painful if you have been expressing several times a day: your breasts can\n"
                "become engorged (hard, swollen and sore), and that can lead to blocked ducts and mastitis, an infection\n"
                "of the breast. Dropping one session every few days is gentler on your body.",
            ),
        ],
    },
    "donating-after-loss": {
        "body": [
            (
                "Some bereaved parents find meaning in giving their milk to babies who need it. It is a gift, never an\n"
                "expectation.",
                "Some bereaved parents find meaning in giving their milk to babies who need it. Many give it in memory\n"
                "of their baby, as part of their baby's legacy. It is a gift, never an expectation.",
            ),
            (
                "## Any amount is welcome",
                "## Why a milk bank\n\n"
                "A nonprofit milk bank screens every donor and pasteurizes the milk before it goes to babies in\n"
                "hospital. Milk shared informally, from one family to another or online, is not screened or\n"
                "pasteurized, and can carry infections or medicines. If you are thinking of sharing milk that way,\n"
                "please talk with your provider about the risks first.\n\n"
                "## Any amount is welcome",
            ),
        ],
    },
    "memorializing-milk": {
        "body": [
            (
                "how long it takes. Meanwhile, freeze a small amount in a clean, labelled container. There is no rush.",
                "how long it takes. Meanwhile, freeze a small amount in a clean, labelled container. There is no rush.\n"
                "Below are some makers that families have told us about. We have not checked their work, so ask them\n"
                "your questions before you send anything.",
            ),
        ],
    },
    "for-professionals": {
        "body": [
            (
                "or chilled cabbage leaves for short spells; mild pain relief; warm showers.",
                "or chilled cabbage leaves for short spells; ibuprofen or acetaminophen if they are safe for the\n"
                "  parent; warm showers.",
            ),
            (
                "- **Warning signs:** a fever, a hot, red or painful area on a breast, or feeling flu-like. Tell them whom\n"
                "  to call.",
                "- **Warning signs:** a fever, a hot, red or painful area on a breast, or feeling flu-like (engorgement\n"
                "  can lead to blocked ducts and mastitis). Tell them whom to call, day and night.",
            ),
        ],
    },
}

KEEPSAKE_MAKERS = [
    {
        "name": "Mama Milk Fairy",
        "description": "Makes keepsake jewelry from breast milk.",
        "area": "",
    },
    {
        "name": "The Milky Fern",
        "description": "Makes jewelry and other keepsakes from breast milk or cremation ashes.",
        "area": "Canada, United States",
    },
]


def _texts():
    """(slug, field, starter text, corrected text) for every correction."""
    starter = {page["slug"]: page for page in STARTER.PAGES}
    for slug, fields in CORRECTIONS.items():
        for field, replacements in fields.items():
            old = new = starter[slug][field]
            for before, after in replacements:
                if before not in new:  # a typo here must not pass silently
                    raise ValueError(f"{slug}.{field}: starter text not found: {before!r}")
                new = new.replace(before, after)
            yield slug, field, old, new


def correct(apps, schema_editor):
    alias = schema_editor.connection.alias
    Page = apps.get_model("resources", "Page")
    for slug, field, old, new in _texts():
        Page.objects.using(alias).filter(slug=slug, **{field: old}).update(**{field: new})
    Maker = apps.get_model("resources", "KeepsakeMaker")
    for order, row in enumerate(KEEPSAKE_MAKERS):
        Maker.objects.using(alias).get_or_create(name=row["name"], defaults={**row, "order": order * 10})


def uncorrect(apps, schema_editor):
    alias = schema_editor.connection.alias
    Page = apps.get_model("resources", "Page")
    for slug, field, old, new in _texts():
        Page.objects.using(alias).filter(slug=slug, **{field: new}).update(**{field: old})


class Migration(migrations.Migration):
    dependencies = [("resources", "0002_starter_content")]

    operations = [
        migrations.CreateModel(
            name="KeepsakeMaker",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=150)),
                ("description", models.TextField(blank=True, default="", help_text="One or two plain sentences; no Markdown.", max_length=400)),
                ("website", models.URLField(blank=True, default="")),
                ("area", models.CharField(blank=True, default="", help_text="Where they send keepsakes, e.g. “Canada, United States”.", max_length=150, verbose_name="ships to")),
                ("order", models.PositiveSmallIntegerField(default=0)),
                ("published", models.BooleanField(default=True)),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last updated")),
            ],
            options={"verbose_name": "keepsake maker", "ordering": ["order", "name"]},
        ),
        migrations.RunPython(correct, uncorrect),
    ]
