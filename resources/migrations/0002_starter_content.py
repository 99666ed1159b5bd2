"""Starter content: the public pages, grief resources and other milk banks, written for this app.

The text is ours; facts (addresses, phone lines) come from the organizations' public pages. Editors change
all of it in the admin. The data is kept in this file, not imported from the app, so the migration keeps
meaning what it meant when it was written.
"""

from django.db import migrations

AFTER_LOSS, DONATING, PROFESSIONALS = "after_loss", "donating", "professionals"

PAGES = [
    {
        "slug": "lactation-after-loss",
        "title": "Lactation after loss",
        "section": AFTER_LOSS,
        "order": 0,
        "summary": (
            "After a baby dies, milk can still come in. What may happen in your body, and the choices open "
            "to you. There is no right or wrong one."
        ),
        "body": """\
We are so sorry. If your baby has died, your body may still make milk. Many parents are not told this
ahead of time, and it can come as a shock. This page explains what may happen and what you can do.

## What happens in your body

After a loss in the second trimester or later, your body often prepares to feed a baby, just as it would
after any birth. The hormones that rise once the placenta is delivered tell your breasts to make milk.

- **Within hours**, you may notice colostrum: a small amount of thick, yellowish early milk.
- **In about 3 to 5 days**, more milk usually comes in. Your breasts may feel full, heavy, warm or tender.
- Some people leak milk. It can be very upsetting, and it is a normal part of what your body is doing.

Some people make a lot of milk, some very little, and some none at all. Every body is different.

## Your choices

There is no right or wrong choice, and you can change your mind at any time. Parents often choose one of
these, or move from one to another:

- **Let your milk dry up.** [Suppressing your supply](/suppressing-your-supply/) explains how to stay comfortable.
- **Keep expressing for a while.** Some parents find comfort in it. See [Continuing to express](/continuing-to-express/).
- **Donate your milk** to babies who are small or sick in hospital. See [Donating after loss](/donating-after-loss/).
- **Keep some as a keepsake.** See [Memorializing milk](/memorializing-milk/).

## When to call your doctor or midwife

Call your provider if you have a fever, a hot, red or painful area on a breast, or if you feel achy and
flu-like. These can be signs of a blocked duct or an infection, and they are worth checking soon.

## You are not alone

Grief can feel very heavy. Our [grief resources](/grief-resources/) list people and groups who understand.
Our coordinators are glad to talk with you too, whatever you decide.
""",
    },
    {
        "slug": "suppressing-your-supply",
        "title": "Suppressing your supply",
        "section": AFTER_LOSS,
        "order": 10,
        "summary": "Gentle ways to let your milk dry up while staying as comfortable as you can.",
        "body": """\
Your body makes milk in answer to milk being removed. When little or none is taken out, it slowly makes
less, and over days to a few weeks it stops. These steps can make that time easier.

## Ways to stay comfortable

- **Express only for comfort.** If your breasts feel very full, express by hand or with a pump just until
  the pressure eases, not until they feel empty. Taking out a little tells your body to make less.
- **Wear a supportive bra** that fits well. It should hold you gently. A tight bra or binding can lead to
  blocked ducts, so it is best avoided.
- **Use breast pads** for leaks, and change them when they are damp.
- **Try something cold.** Cold compresses, or chilled cabbage leaves tucked inside your bra, can ease
  swelling. Use them for short spells, about 15 to 20 minutes at a time.
- **Take mild pain relief** if you need it. A pharmacist or your provider can tell you what suits you.
- **Warm showers** can soothe. It is fine to let a little milk flow in the shower.

## If you have been pumping often

Stopping all at once can be painful if you have been expressing several times a day. Dropping one session
every few days is gentler on your body. Our [pumping-reduction plan](/pumping-plan/) makes a day-by-day
schedule you can print.

## Signs that need a call to your provider

- a fever
- a hot, red or painful area on a breast
- feeling achy, shivery or flu-like

Your provider can also talk with you about medicines that lower milk supply, if you want to ask.
""",
    },
    {
        "slug": "continuing-to-express",
        "title": "Continuing to express",
        "section": AFTER_LOSS,
        "order": 20,
        "summary": (
            "Some parents keep expressing for a while: for comfort, to donate, or to have time to decide."
        ),
        "body": """\
Expressing milk after a loss is a choice some parents make. For some it brings a sense of closeness or
purpose. You do not need to decide anything today, and you can stop whenever you want.

## Building and keeping a supply

- Expressing **about 8 times a day**, including once at night, builds and keeps up a supply in the
  first weeks.
- A double electric pump saves time. Your hospital or a lactation consultant can help you find one.
- In the first days, hand expression often works well for the small amounts of colostrum.

## Keeping your milk

Label each container with the date you expressed it, and keep it in the fridge or freezer. If you think you
might donate, call our coordinators early. They will explain how to store milk so it can be accepted.

## You can decide later

You might express for a few days or a few weeks. When you are ready to stop, slow down gently with our
[pumping-reduction plan](/pumping-plan/). If you would like to donate, [Donating after
loss](/donating-after-loss/) explains the steps.
""",
    },
    {
        "slug": "memorializing-milk",
        "title": "Memorializing milk",
        "section": AFTER_LOSS,
        "order": 30,
        "summary": "Ways to keep some of your milk, or the memory of it, close.",
        "body": """\
Some parents want to keep a little of their milk, as a reminder of their baby and of what their body did
for them.

## Keepsake jewelry

Small businesses make keepsake jewelry, such as pendants, rings and beads, from a little breast milk. If
this appeals to you, choose a maker who explains clearly how the milk is preserved, how much they need and
how long it takes. Meanwhile, freeze a small amount in a clean, labelled container. There is no rush.

## Forever Butterflies

If you donate milk to us, we invite you to add your baby's name to our
[Forever Butterflies](/butterflies/) quilt. Each butterfly carries a baby's first name and birth date, and
a second butterfly is made for your family to keep.

## Other ways to remember

Some families plant a tree, write a letter to their baby, or keep a photo of the milk they gave. Whatever
feels right to you is right.
""",
    },
    {
        "slug": "grief-resources",
        "title": "Grief resources",
        "section": AFTER_LOSS,
        "order": 40,
        "summary": "Support lines, groups and organizations for families after the death of a baby.",
        "body": """\
Grief after the death of a baby can be lonely. The organizations below understand, and many were started by
parents who lived it. Please check with each one for current hours.

If you are in crisis or thinking about harming yourself, call or text **988** now, in the United States or
Canada.
""",
    },
    {
        "slug": "donating-after-loss",
        "title": "Donating after loss",
        "section": DONATING,
        "order": 0,
        "summary": (
            "How donating milk after a loss works: three screening steps, the research option, and the ways "
            "to get your milk to us."
        ),
        "body": """\
Some bereaved parents find meaning in giving their milk to babies who need it. It is a gift, never an
expectation. If you would like to donate, we will go gently and at your pace.

## The three steps

1. **A phone screen.** A coordinator calls you for about 20 minutes, asks some general health questions
   and answers yours.
2. **A written questionnaire.** A health history you fill in on a phone or computer. You can save it and
   come back to it.
3. **Bloodwork.** A simple blood test. The milk bank pays for it.

## Milk for research

If screening is not right for you, or your milk cannot go to babies, you may be able to give it for
research that helps improve care for babies. A coordinator can tell you more.

## Any amount is welcome

There is no minimum. Whatever you have saved, however small, is welcome.

## Getting your milk to us

- **Bring it to a depot**, a collection freezer in a hospital or clinic. [Find a depot](/donate/depots/).
- **Ship it.** If no depot is near you, a coordinator will explain how to ship frozen milk to the bank.

Ready to start? [Tell us you would like to donate](/donate/) and a coordinator will call you. Living
farther away? Another [milk bank](/other-milk-banks/) may be closer.
""",
    },
    {
        "slug": "other-milk-banks",
        "title": "Other milk banks",
        "section": DONATING,
        "order": 10,
        "summary": "Nonprofit milk banks in North America, if you would rather donate closer to home.",
        "body": """\
If you live far from us, a milk bank near you may be easier to donate to. The nonprofit banks below screen
donors and pasteurize milk for babies in hospital, as we do. The Human Milk Banking Association of North
America (HMBANA) keeps the full list of its member banks.
""",
    },
    {
        "slug": "for-professionals",
        "title": "For healthcare professionals",
        "section": PROFESSIONALS,
        "order": 0,
        "summary": (
            "A counseling guide for nurses, midwives, doctors and lactation consultants who talk with bereaved "
            "parents about lactation."
        ),
        "body": """\
Many parents whose baby has died are never told that their milk may come in. Hearing it ahead of time,
from someone kind, can spare them fear and pain. This guide is for anyone caring for bereaved parents:
nurses, midwives, doctors, lactation consultants, social workers and chaplains.

## Before you talk

- Lactation is likely after a loss in the second trimester or later. Check the gestational age.
- Find a quiet, private moment. Use the baby's name if the family has given one.
- Have a printed [handout](/donating-after-loss/handout/) to leave with them.

## What to cover

- **What to expect:** colostrum within hours, more milk in about 3 to 5 days, and fullness or leaking.
- **The options, without steering:** letting milk dry up, expressing for a while, donating, and keeping
  some as a keepsake. Say plainly that there is no right or wrong choice and that they can change their
  mind.
- **Comfort care:** express only for comfort; a supportive, not tight, bra; breast pads; cold compresses
  or chilled cabbage leaves for short spells; mild pain relief; warm showers.
- **Warning signs:** a fever, a hot, red or painful area on a breast, or feeling flu-like. Tell them whom
  to call.

## Words that can help

- “Your body may make milk over the next few days. May I tell you what to expect and what you can do?”
- “Some parents let their milk dry up, some express for a while, and some donate. Any of these is okay.”
- Avoid “at least…”, and do not assume the parent wants to donate.

## If the parent is pumping or wants to

- Expressing about 8 times a day builds a supply; they can decide later what to do with the milk.
- When they are ready to stop, the [pumping-reduction plan](/pumping-plan/) makes a printable schedule
  that drops one session at a time.
- To donate: three steps (a phone screen of about 20 minutes, a written questionnaire, and bloodwork the
  bank pays for). Any amount is welcome. See [Donating after loss](/donating-after-loss/).

## After discharge

A phone call a few days after going home, when milk often comes in, can matter a great deal. Writing the
parent's choice in the chart helps every caregiver follow it.
""",
    },
]

NATIONAL, STATE, REGIONAL = "national", "state", "regional"

MILK_BANKS = [
    {
        "name": "Minnesota Milk Bank for Babies",
        "description": (
            "A nonprofit HMBANA member bank in Golden Valley, Minnesota. It pasteurizes donor milk for "
            "hospitals in Minnesota and the Upper Midwest."
        ),
        "phone": "763-546-8051",
        "website": "https://www.mnmilkbank.org/",
        "region": REGIONAL,
        "area": "Minnesota, Upper Midwest",
        "category": "bank",
    },
    {
        "name": "NorthernStar Mothers Milk Bank",
        "description": (
            "A community-based nonprofit milk bank in Calgary, with milk drop-off sites across the Prairie "
            "provinces."
        ),
        "phone": "",
        "website": "https://www.northernstarmilkbank.ca/",
        "region": REGIONAL,
        "area": "Alberta, Saskatchewan, Manitoba",
        "category": "bank",
    },
    {
        "name": "Rogers Hixon Ontario Human Milk Bank",
        "description": (
            "Ontario's milk bank, at Mount Sinai Hospital in Toronto. It sends donor milk to hospital "
            "newborn units across the province."
        ),
        "phone": "",
        "website": "https://www.milkbankontario.ca/",
        "region": STATE,
        "area": "Ontario",
        "category": "hospital",
    },
    {
        "name": "BC Women's Provincial Milk Bank",
        "description": (
            "At BC Women's Hospital in Vancouver since 1974 and a founding member of HMBANA. Its milk goes "
            "to hospitals throughout British Columbia."
        ),
        "phone": "604-875-2424, ext. 3743",
        "website": "https://www.bcwomensmilkbank.ca/",
        "region": STATE,
        "area": "British Columbia",
        "category": "hospital",
    },
    {
        "name": "Human Milk Banking Association of North America (HMBANA)",
        "description": (
            "Sets the safety standards for nonprofit milk banks in the United States and Canada, and lists "
            "every member bank so you can find the one nearest you."
        ),
        "phone": "",
        "website": "https://www.hmbana.org/",
        "region": NATIONAL,
        "area": "United States, Canada",
        "category": "association",
    },
]

GRIEF_RESOURCES = [
    {
        "name": "988 Suicide & Crisis Lifeline",
        "description": "Free, confidential support any time, day or night, if you are in distress.",
        "phone": "988 (call or text)",
        "website": "https://988lifeline.org/",
        "region": NATIONAL,
        "area": "United States",
        "category": "crisis",
    },
    {
        "name": "9-8-8 Suicide Crisis Helpline",
        "description": "Canada's crisis line, open at all hours, in English and French.",
        "phone": "988 (call or text)",
        "website": "https://988.ca/",
        "region": NATIONAL,
        "area": "Canada",
        "category": "crisis",
    },
    {
        "name": "National Maternal Mental Health Hotline",
        "description": (
            "Counselors for anyone who is pregnant or recently was, including after a loss. Open at all "
            "hours, by call or text."
        ),
        "phone": "1-833-852-6262",
        "website": "https://mchb.hrsa.gov/national-maternal-mental-health-hotline",
        "region": NATIONAL,
        "area": "United States",
        "category": "crisis",
    },
    {
        "name": "Postpartum Support International",
        "description": (
            "A helpline and free online support groups, including groups for parents after pregnancy and "
            "infant loss."
        ),
        "phone": "1-800-944-4773",
        "website": "https://www.postpartum.net/",
        "region": NATIONAL,
        "area": "United States, Canada",
        "category": "counseling",
    },
    {
        "name": "Star Legacy Foundation",
        "description": "Support for families after stillbirth and the death of a baby, and research to prevent it.",
        "phone": "",
        "website": "https://starlegacyfoundation.org/",
        "region": NATIONAL,
        "area": "United States",
        "category": "organization",
    },
    {
        "name": "Share Pregnancy and Infant Loss Support",
        "description": "Peer support for parents and families after miscarriage, stillbirth or the death of a baby.",
        "phone": "",
        "website": "https://nationalshare.org/",
        "region": NATIONAL,
        "area": "United States",
        "category": "peer",
    },
    {
        "name": "Minnesota Center for Stillbirth and Infant Death",
        "description": (
            "A statewide program of the Star Legacy Foundation. Nurses and social workers reach out to "
            "Minnesota families after a baby dies, free of charge."
        ),
        "phone": "952-679-3929",
        "website": "https://starlegacyfoundation.org/mncsid/",
        "region": STATE,
        "area": "Minnesota",
        "category": "organization",
    },
    {
        "name": "Pregnancy and Infant Loss (PAIL) Network",
        "description": "Free peer support for families in Ontario after pregnancy or infant loss.",
        "phone": "",
        "website": "https://pailnetwork.ca/",
        "region": STATE,
        "area": "Ontario",
        "category": "peer",
    },
]


def load_starter_content(apps, schema_editor):
    alias = schema_editor.connection.alias
    Page = apps.get_model("resources", "Page")
    for row in PAGES:
        Page.objects.using(alias).get_or_create(slug=row["slug"], defaults={**row, "published": True})
    for model_name, rows in (("MilkBank", MILK_BANKS), ("GriefResource", GRIEF_RESOURCES)):
        model = apps.get_model("resources", model_name)
        for order, row in enumerate(rows):
            model.objects.using(alias).get_or_create(name=row["name"], defaults={**row, "order": order * 10})


def remove_starter_content(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("resources", "Page").objects.using(alias).filter(
        slug__in=[p["slug"] for p in PAGES]
    ).delete()
    for model_name, rows in (("MilkBank", MILK_BANKS), ("GriefResource", GRIEF_RESOURCES)):
        apps.get_model("resources", model_name).objects.using(alias).filter(
            name__in=[row["name"] for row in rows]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]
    operations = [migrations.RunPython(load_starter_content, remove_starter_content)]
