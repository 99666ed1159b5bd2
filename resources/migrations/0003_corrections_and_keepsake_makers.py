"""Corrections to the starter pages (issue 15), editor-managed keepsake makers and search synonyms, and the
search index (filled after every migrate by resources.search.rebuild_index).

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
        "summary": [
            (
                "Gentle ways to let your milk dry up while staying as comfortable as you can.",
                "Gentle ways to let your milk dry up while staying as comfortable as you can, and to avoid "
                "engorgement and mastitis.",
            ),
        ],
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


# Parents' words -> the words our pages use. Editors add more in the admin (Search synonyms).
SYNONYMS = {
    "dry up": "suppressing supply",
    "stop my milk": "suppressing supply",
    "stop milk": "suppressing supply",
    "milk stop": "suppressing supply",
    "get rid of milk": "suppressing supply",
    "stop pumping": "pumping-reduction plan",
    "wean": "pumping-reduction suppressing",
    "breast infection": "mastitis",
    "hard breasts": "engorgement",
    "milk came in": "colostrum lactation",
    "milk coming in": "colostrum lactation",
    "stillbirth": "loss",
    "stillborn": "loss",
    "miscarriage": "loss",
    "drop off": "depot",
    "dropoff": "depot",
    "memorial": "butterflies quilt keepsake",
    "hotline": "crisis",
    "suicide": "crisis",
}


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
    Synonym = apps.get_model("resources", "SearchSynonym")
    for phrase, means in SYNONYMS.items():
        Synonym.objects.using(alias).get_or_create(phrase=phrase, defaults={"means": means})
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
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("phrase", models.CharField(help_text="What someone might type, e.g. “dry up” or “stop my milk”. Lowercase; one or more words.", max_length=80, unique=True)),
                ("means", models.CharField(help_text="Words our pages use for it, separated by spaces, e.g. “suppressing supply”.", max_length=200)),
            ],
            options={"verbose_name": "search synonym", "ordering": ["phrase"]},
        ),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(max_length=30)),
                ("key", models.CharField(max_length=100)),
                ("url", models.CharField(max_length=300)),
                ("kind", models.CharField(help_text="Shown with the result, e.g. “Grief resource”.", max_length=60)),
                ("title", models.CharField(max_length=200)),
                ("keywords", models.CharField(blank=True, default="", max_length=300)),
                ("summary", models.CharField(blank=True, default="", max_length=400)),
                ("body", models.TextField(blank=True, default="")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("source", "key"), name="resources_searchdocument_unique_source_key")],
            },
        ),
        migrations.RunPython(correct, uncorrect),
    ]
