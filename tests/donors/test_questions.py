"""Versioned question sets: rule 3 coverage, flags, bereaved sections, old answers keep their meaning."""

import dataclasses
import hashlib

import pytest
from django.urls import reverse

from donors import questions
from donors import transitions as t
from donors.models import Questionnaire
from tests.donors.intake_fixtures import *  # noqa: F403

V = "2026.1"


def _ids(sections):
    return [q.id for s in sections for q in s.questions]


def test_it_uses_each_question_id_once_per_version():
    for version, sections in questions.QUESTION_SETS.items():
        ids = _ids(sections)
        assert len(ids) == len(set(ids)), version


def test_it_leaves_released_versions_unchanged():
    """Editing a released set would change what old answers mean: make a new version instead."""
    digest = hashlib.sha256(repr(questions.QUESTION_SETS[V]).encode()).hexdigest()
    assert digest == RELEASED_2026_1, "Question set 2026.1 changed: add a new version instead."


def test_it_covers_every_topic_of_rule_3_with_its_time_window():
    every = questions.all_questions(V)
    expected = {
        "chronic_illness": "long-term illness",
        "medications": "medicines",
        "herbal": "herbal",
        "nicotine": "vaping",
        "alcohol_per_day": "alcoholic drinks",
        "recreational_drugs": "12 months",
        "transfusion": "4 months",
        "transplant": "12 months",
        "needle_exposure": "12 months",
        "uk_1980_1996": "1980 and 1996",
        "europe_since_1980": "5 years",
        "partner_risk": "12 months",
        "cjd": "pituitary growth hormone",
        "hepatitis_hiv_htlv": "HTLV",
        "infant_healthy": "baby",
        "infant_provider": "provider",
    }
    for qid, words in expected.items():
        assert words in every[qid].text, qid
    for question in every.values():
        assert question.kind in questions.KINDS


def test_it_flags_answers_that_usually_defer_and_nothing_else():
    answers = {
        "nicotine": "yes",
        "transfusion": "yes",
        "alcohol_per_day": 3,
        "good_health": "no",
        "medications": "yes",
        "herbal": "yes",
        "travel": "yes",
        "cjd": "no",
    }
    assert questions.flags_for(V, answers) == ["good_health", "nicotine", "alcohol_per_day", "transfusion"]


@pytest.mark.parametrize("drinks, flagged", [(0, False), (2, False), (3, True), ("", False)])
def test_it_flags_more_than_two_drinks_a_day(drinks, flagged):
    assert ("alcohol_per_day" in questions.flags_for(V, {"alcohol_per_day": drinks})) is flagged


def test_it_flags_nothing_when_nothing_is_answered():
    assert questions.flags_for(V, {}) == []


def test_it_skips_infant_questions_for_bereaved_donors():
    everyone = questions.sections_for(V, bereaved=False)
    bereaved = questions.sections_for(V, bereaved=True)
    infant_ids = {q.id for q in questions.all_questions(V).values() if q.infant_only}
    assert {"infant_healthy", "infant_provider"} <= infant_ids
    assert infant_ids <= set(_ids(everyone))
    assert not infant_ids & set(_ids(bereaved))
    assert len(bereaved) == len(everyone) - 1  # the "Your baby" section has nothing left, so it goes
    for section in bereaved:
        for question in section.questions:
            assert "your baby" not in question.text.lower(), question.id


def test_it_asks_for_details_only_when_the_answer_calls_for_them():
    details = questions.all_questions(V)["medications_list"]
    assert questions.is_required(details, {"medications": "yes"})
    assert not questions.is_required(details, {"medications": "no"})


@pytest.mark.django_db
def test_it_shows_old_answers_in_the_wording_they_were_given_to(sent_questionnaire, monkeypatch):
    donor, _path = sent_questionnaire()
    q = donor.questionnaires.get()
    assert q.question_set == V
    t.questionnaire_submit(questionnaire=q, answers={"nicotine": "yes"}, flags=["nicotine"])
    # A later version rewords the question and stops flagging it: the old answer keeps its old meaning.
    later = [
        dataclasses.replace(
            s,
            questions=tuple(
                dataclasses.replace(qq, text="Do you chew gum?", flag_if=None) if qq.id == "nicotine" else qq
                for qq in s.questions
            ),
        )
        for s in questions.QUESTION_SETS[V]
    ]
    monkeypatch.setitem(questions.QUESTION_SETS, "2099.1", tuple(later))
    monkeypatch.setattr(questions, "CURRENT_VERSION", "2099.1")
    q = Questionnaire.objects.get(pk=q.pk)
    rows = {row.text: row for row in questions.review_rows(q)}
    nicotine = next(row for text, row in rows.items() if "tobacco or nicotine" in text)
    assert nicotine.answer == "Yes"
    assert nicotine.flagged
    assert "Do you chew gum?" not in rows


@pytest.mark.django_db
def test_the_donor_page_shows_answers_escaped_with_flags_in_words(client, coordinator, sent_questionnaire):
    donor, _path = sent_questionnaire()
    q = donor.questionnaires.get()
    t.questionnaire_save(
        questionnaire=q,
        answers={"nicotine": "yes", "anything_else": "<script>alert('x')</script> 李明", "cjd": "no"},
    )
    client.force_login(coordinator)
    html = client.get(reverse("admin:donors_donor_change", args=[donor.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 李明" in html
    assert "<script>alert" not in html
    assert html.count("(look at this)") == 1


def test_it_still_shows_answers_of_an_unknown_version():
    sections = questions.answers_for_review("1999.0", {"smoke": "no"})
    assert sections[0].rows[0].text == "smoke"
    assert sections[0].rows[0].answer == "no"


RELEASED_2026_1 = "6e092376d355988728ae961216599c9cf707fe73f25ffd09ef3258935a54b20c"
