"""The health questionnaire's question sets, versioned.

A released version is never edited: answers store the version they reply to, so a later change makes a new
version and old answers keep their meaning. CURRENT_VERSION is what new questionnaires use.

Answers are stored as plain JSON values keyed by question id: "yes"/"no" for yes_no, the choice's value for
choice, text for text, an ISO date string for date, an integer for number, and "" for a question left empty.
An answer that usually defers a donor is *flagged* for a coordinator to talk through, never declined here.

Each version carries its own translations (donors/question_translations.py): the Spanish or French wording a
donor saw is part of the version, like the English, so a later edit cannot change what an old answer replied
to. Answers stay language-neutral (choice keys, ISO dates, numbers); only free text is in the donor's words.
A wording missing from a version's translations shows in English. Coordinators always read the English.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.translation import gettext

from .question_translations import TRANSLATIONS

YES_NO = (("yes", "Yes"), ("no", "No"))
KINDS = ("yes_no", "text", "date", "number", "choice")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: str
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True
    # The answer that usually defers a donor (for yes_no and choice); numbers use flag_above.
    flag_if: str | tuple[str, ...] | None = None
    flag_above: int | None = None
    # Skipped for bereaved donors: questions about a living baby.
    infant_only: bool = False
    help: str = ""
    # Wording for bereaved donors where the usual wording could assume a living baby.
    bereaved_text: str = ""
    # A follow-up: required when the question named here has this answer (e.g. "yes" -> list them).
    required_if: tuple[str, str] | None = None
    max_length: int = 1000
    min_value: int | None = None
    max_value: int | None = None
    no_future: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown question kind {self.kind!r} for {self.id}")

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        # A translated yes/no question carries its own labels in `choices` (see _translate).
        if self.kind == "yes_no":
            return self.choices or YES_NO
        return self.choices

    def is_flagged(self, answer) -> bool:
        if answer in (None, ""):
            return False
        if self.flag_above is not None:
            try:
                return float(answer) > self.flag_above
            except (TypeError, ValueError):
                return False
        if self.flag_if is None:
            return False
        flagged = (self.flag_if,) if isinstance(self.flag_if, str) else self.flag_if
        return answer in flagged

    def display(self, answer) -> str:
        """The answer in words, as the donor chose it, in this question's wording and the active language."""
        if answer in (None, ""):
            return gettext("Not answered")
        if self.options:
            return dict(self.options).get(answer, str(answer))
        if self.kind == "date":
            try:
                return dateformat.format(datetime.date.fromisoformat(str(answer)), gettext("F j, Y"))
            except ValueError:
                return str(answer)
        return str(answer)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    questions: tuple[Question, ...]
    intro: str = ""
    bereaved_title: str = ""
    bereaved_intro: str = ""


# --- Version 2026.1 --------------------------------------------------------------------------------
# Wording is our own. Time windows follow common milk-bank screening practice (HMBANA-style); the phone
# screen and a coordinator's review decide, not these flags.

_V2026_1 = (
    Section(
        "health",
        "Your health",
        intro="A few questions about your general health. There are no wrong answers.",
        questions=(
            Question(
                "delivery_date",
                "When did you give birth?",
                "date",
                help="An approximate date is fine.",
                no_future=True,
            ),
            Question(
                "good_health",
                "Are you in good general health today?",
                "yes_no",
                flag_if="no",
            ),
            Question(
                "chronic_illness",
                "Do you have, or have you had, a long-term illness, such as diabetes, thyroid disease, "
                "an autoimmune condition or cancer?",
                "yes_no",
                flag_if="yes",
            ),
            Question(
                "chronic_illness_details",
                "If yes, please tell us which, and when.",
                "text",
                required=False,
                required_if=("chronic_illness", "yes"),
            ),
            Question(
                "provider_name",
                "Your own health care provider's name and clinic",
                "text",
                help="We ask your provider to confirm you can donate. We never share your answers with them.",
                max_length=200,
            ),
            Question(
                "provider_phone",
                "Your provider's phone number",
                "text",
                required=False,
                max_length=40,
            ),
        ),
    ),
    Section(
        "medicines",
        "Medicines and supplements",
        intro="Many medicines are fine with donating. Tell us about all of them so a coordinator can check.",
        questions=(
            Question(
                "medications",
                "Do you take any medicines now, prescribed or bought over the counter? This includes "
                "birth control, insulin, thyroid medicine and antidepressants.",
                "yes_no",
                help="Occasional pain relief, such as ibuprofen or acetaminophen, does not count.",
            ),
            Question(
                "medications_list",
                "If yes, please list each medicine and how often you take it.",
                "text",
                required=False,
                required_if=("medications", "yes"),
            ),
            Question(
                "herbal",
                "Do you take herbal products, remedies or supplements, other than prenatal vitamins? "
                "For example fenugreek, blessed thistle, or teas taken to raise milk supply.",
                "yes_no",
            ),
            Question(
                "herbal_list",
                "If yes, please list them and how often you take them.",
                "text",
                required=False,
                required_if=("herbal", "yes"),
            ),
        ),
    ),
    Section(
        "habits",
        "Tobacco, alcohol and drugs",
        intro="We ask everyone these. Please answer honestly; a coordinator will talk them through with you.",
        questions=(
            Question(
                "nicotine",
                "Do you use tobacco or nicotine in any form now? This includes cigarettes, vaping or "
                "e-cigarettes, cigars, chewing tobacco, pouches, nicotine gum or patches.",
                "yes_no",
                flag_if="yes",
            ),
            Question(
                "alcohol_per_day",
                "On a typical day, how many alcoholic drinks do you have?",
                "number",
                help="One drink is a can of beer, a glass of wine or a shot of spirits. Enter 0 if none.",
                flag_above=2,
                min_value=0,
                max_value=50,
            ),
            Question(
                "recreational_drugs",
                "In the last 12 months, have you used any recreational drugs, including cannabis "
                "(marijuana) in any form?",
                "yes_no",
                flag_if="yes",
            ),
        ),
    ),
    Section(
        "blood",
        "Blood, transplants and needles",
        questions=(
            Question(
                "transfusion",
                "In the last 4 months, have you received blood or a blood product, such as red cells, "
                "platelets or plasma?",
                "yes_no",
                flag_if="yes",
            ),
            Question(
                "transplant",
                "In the last 12 months, have you had an organ or tissue transplant or graft?",
                "yes_no",
                flag_if="yes",
            ),
            Question(
                "needle_exposure",
                "In the last 12 months, have you had a tattoo, permanent makeup or a piercing (ears "
                "included) done with equipment that may not have been sterile, or been stuck by a needle "
                "used on someone else?",
                "yes_no",
                flag_if="yes",
                help="A tattoo or piercing from a licensed studio with single-use needles is usually fine. "
                "If you are not sure, answer yes and tell us more.",
            ),
            Question(
                "needle_exposure_details",
                "If yes, what was it, and when?",
                "text",
                required=False,
                required_if=("needle_exposure", "yes"),
            ),
        ),
    ),
    Section(
        "travel",
        "Travel and time abroad",
        questions=(
            Question(
                "uk_1980_1996",
                "Between 1980 and 1996, did you spend 3 months or more in total in the United Kingdom "
                "(England, Scotland, Wales, Northern Ireland, the Isle of Man or the Channel Islands)?",
                "yes_no",
                flag_if="yes",
            ),
            Question(
                "europe_since_1980",
                "Since 1980, have you spent 5 years or more in total in Europe (counting the UK)?",
                "yes_no",
                flag_if="yes",
            ),
            Question(
                "abroad_12_months",
                "In the last 12 months, have you travelled or lived outside the country?",
                "yes_no",
            ),
            Question(
                "abroad_details",
                "If yes, where did you go, and when?",
                "text",
                required=False,
                required_if=("abroad_12_months", "yes"),
                max_length=500,
            ),
        ),
    ),
    Section(
        "infections",
        "Infections and family history",
        intro="These questions protect the babies who receive milk. Your answers stay private.",
        questions=(
            Question(
                "partner_risk",
                "In the last 12 months, have you had a sexual partner who has HIV or hepatitis, or who may "
                "be at risk of them (for example, someone who has injected drugs not prescribed by a "
                "doctor)?",
                "yes_no",
                flag_if="yes",
            ),
            Question(
                "hepatitis_hiv_htlv",
                "Have you ever tested positive for, or been told you have, hepatitis B or C, HIV, or HTLV?",
                "yes_no",
                flag_if="yes",
                help="Hepatitis A, or jaundice as a newborn, does not count.",
            ),
            Question(
                "cjd",
                "Has anyone in your blood family had Creutzfeldt-Jakob disease (CJD), or have you ever "
                "been given human pituitary growth hormone or a dura mater (brain covering) graft?",
                "yes_no",
                flag_if="yes",
            ),
        ),
    ),
    Section(
        "baby",
        "Your baby",
        intro="Because your milk has been feeding your baby, we ask about their health and their provider.",
        questions=(
            Question(
                "infant_healthy",
                "Is your baby healthy and growing well?",
                "yes_no",
                flag_if="no",
                infant_only=True,
            ),
            Question(
                "infant_health_details",
                "If not, please tell us a little about your baby's health.",
                "text",
                required=False,
                required_if=("infant_healthy", "no"),
                infant_only=True,
            ),
            Question(
                "infant_provider",
                "Your baby's health care provider's name and clinic",
                "text",
                max_length=200,
                infant_only=True,
            ),
            Question(
                "infant_provider_phone",
                "Your baby's provider's phone number",
                "text",
                required=False,
                max_length=40,
                infant_only=True,
            ),
        ),
    ),
    Section(
        "anything_else",
        "Anything else",
        questions=(
            Question(
                "anything_else",
                "Is there anything else you would like us to know?",
                "text",
                required=False,
                help="For example, a good time to call, or a question for the coordinator.",
                max_length=2000,
            ),
        ),
    ),
)

CURRENT_VERSION = "2026.1"

QUESTION_SETS: dict[str, tuple[Section, ...]] = {"2026.1": _V2026_1}


# --- Reading a set -----------------------------------------------------------------------------------


def _set(version: str, language: str = "en") -> tuple[Section, ...]:
    try:
        sections = QUESTION_SETS[version]
    except KeyError:
        raise LookupError(f"There is no question set {version!r}.") from None
    return _translated(version, language) if language != "en" else sections


def _word(words: Mapping[str, str], key: str, english: str) -> str:
    """The translated wording for `key`, or the English one when the version has none (or it is blank)."""
    return words.get(key, english) if english else ""


def _translate(question: Question, words: Mapping[str, str]) -> Question:
    key = question.id
    return dataclasses.replace(
        question,
        text=_word(words, key, question.text),
        help=_word(words, f"{key}.help", question.help),
        bereaved_text=_word(words, f"{key}.bereaved_text", question.bereaved_text),
        choices=tuple(
            (value, _word(words, value if question.kind == "yes_no" else f"{key}.choice.{value}", label))
            for value, label in question.options
        ),
    )


@functools.cache
def _translated(version: str, language: str) -> tuple[Section, ...]:
    """The version's sections in `language`, each wording the version has no translation for in English."""
    words = TRANSLATIONS.get(version, {}).get(language, {})
    if not words:
        return QUESTION_SETS[version]
    return tuple(
        dataclasses.replace(
            section,
            **{
                field: _word(words, f"{section.slug}.{field}", getattr(section, field))
                for field in ("title", "intro", "bereaved_title", "bereaved_intro")
            },
            questions=tuple(_translate(q, words) for q in section.questions),
        )
        for section in QUESTION_SETS[version]
    )


def wordings(version: str) -> dict[str, str]:
    """Every English wording of a version a translation must cover, by its translation key."""
    keys = {}
    for section in QUESTION_SETS[version]:
        for field in ("title", "intro", "bereaved_title", "bereaved_intro"):
            if getattr(section, field):
                keys[f"{section.slug}.{field}"] = getattr(section, field)
        for q in section.questions:
            keys[q.id] = q.text
            if q.help:
                keys[f"{q.id}.help"] = q.help
            if q.bereaved_text:
                keys[f"{q.id}.bereaved_text"] = q.bereaved_text
            if q.kind == "yes_no":
                keys.update(YES_NO)
            for value, label in q.choices:
                keys[f"{q.id}.choice.{value}"] = label
    return keys


def all_questions(version: str) -> dict[str, Question]:
    return {q.id: q for section in _set(version) for q in section.questions}


def sections_for(version: str, *, bereaved: bool, language: str = "en") -> list[Section]:
    """The sections this donor sees, in order: bereaved donors skip infant questions and get gentler wording.

    In `language` where the version has the wording, else in English. A section left with no questions is
    dropped.
    """
    shown = []
    for section in _set(version, language):
        questions = tuple(
            dataclasses.replace(q, text=q.bereaved_text or q.text) if bereaved else q
            for q in section.questions
            if not (bereaved and q.infant_only)
        )
        if not questions:
            continue
        if bereaved:
            section = dataclasses.replace(
                section,
                title=section.bereaved_title or section.title,
                intro=section.bereaved_intro or section.intro,
            )
        shown.append(dataclasses.replace(section, questions=questions))
    return shown


def is_required(question: Question, answers: Mapping[str, object]) -> bool:
    if question.required:
        return True
    if question.required_if:
        other, value = question.required_if
        return answers.get(other) == value
    return False


def section_finished(section: Section, answers: Mapping[str, object]) -> bool:
    """Every question this donor must answer in the section has an answer."""
    return all(answers.get(q.id) not in (None, "") for q in section.questions if is_required(q, answers))


def flags_for(version: str, answers: Mapping[str, object]) -> list[str]:
    """Ids of the answered questions whose answer usually defers a donor, in question order."""
    return [q.id for q in all_questions(version).values() if q.is_flagged(answers.get(q.id))]


# --- For the coordinator -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    id: str
    text: str
    answer: str
    flagged: bool


@dataclass(frozen=True)
class ReviewSection:
    title: str
    rows: tuple[ReviewRow, ...]


def answers_for_review(
    version: str, answers: Mapping[str, object], *, bereaved: bool = False, flags=None, language: str = "en"
) -> list[ReviewSection]:
    """Question text and answer, section by section, in the wording of the version the donor answered.

    In English unless `language` is given (the donor's own check of their answers).

    `flags` defaults to what the answers flag now; pass the questionnaire's stored flags to show those. An
    unknown version (never expected) still shows every answer by its id rather than failing.
    """
    if version not in QUESTION_SETS:
        rows = tuple(ReviewRow(k, k, str(v), False) for k, v in answers.items())
        return [ReviewSection(f"Answers (question set {version})", rows)]
    flags = set(flags_for(version, answers) if flags is None else flags)
    result = []
    for section in sections_for(version, bereaved=bereaved, language=language):
        rows = tuple(
            ReviewRow(q.id, q.text, q.display(answers.get(q.id)), q.id in flags)
            for q in section.questions
            if is_required(q, answers) or answers.get(q.id) not in (None, "")
        )
        result.append(ReviewSection(section.title, rows))
    return result


def answered_in(questionnaire) -> str:
    """The language code the donor answered in: recorded when sent; while in progress, the donor's own."""
    return questionnaire.language or questionnaire.donor.language


def questionnaire_review(questionnaire, *, language: str = "en") -> list[ReviewSection]:
    """A questionnaire's answers for review, in its own version; frozen answers show their stored flags."""
    return answers_for_review(
        questionnaire.question_set,
        questionnaire.answers or {},
        bereaved=questionnaire.donor.bereaved,
        flags=questionnaire.flags if questionnaire.is_frozen else None,
        language=language,
    )


@dataclass(frozen=True)
class FlatRow:
    section: str
    text: str
    answer: str
    flagged: bool
    # The question as the donor read it, when that was not in English ("" otherwise, or when no translation).
    asked: str = ""


def review_rows(questionnaire) -> list[FlatRow]:
    """The answers as one flat list for the admin donor page's table: always the English wording of the
    version answered, with the donor's own wording beside it when they answered in another language."""
    language = answered_in(questionnaire)
    asked = {}
    if language != "en":
        asked = {
            row.id: row.text
            for section in questionnaire_review(questionnaire, language=language)
            for row in section.rows
        }
    return [
        FlatRow(
            section.title,
            row.text,
            row.answer,
            row.flagged,
            asked.get(row.id, "") if asked.get(row.id) != row.text else "",
        )
        for section in questionnaire_review(questionnaire)
        for row in section.rows
    ]
