"""Results: Borda count by hand, and disclosure control at 4 and 5 respondents."""

from __future__ import annotations

import csv
import io

import pytest

from participation.core.disclosure import MIN_CELL
from participation.extensions import db
from participation.hearings import answering, results, services
from participation.hearings.results import borda_scores
from tests.hearings.conftest import build, user


def test_borda_count_hand_worked_partial_rankings():
    # Four options, so places earn 3, 2, 1, 0; options left out earn nothing.
    # [Y, W]: Y 3, W 2.  [W, X, Y]: W 3, X 2, Y 1.  [Z]: Z 3.
    scores = borda_scores([["Y", "W"], ["W", "X", "Y"], ["Z"]], ["W", "X", "Y", "Z"])
    assert scores == {"W": 5, "X": 2, "Y": 4, "Z": 3}


def test_borda_count_can_differ_from_most_first_places():
    # A has the most first places, but B is ranked high by everyone: A 2+2+0+0, B 1+1+2+1.
    rankings = [["A", "B", "C"], ["A", "B", "C"], ["B", "C", "A"], ["C", "B", "A"]]
    assert borda_scores(rankings, ["A", "B", "C"]) == {"A": 4, "B": 5, "C": 3}


def _answer(hearing, choices, *, age=None, scale=None, ranking=None):
    single, _m, scale_q, _t, ranking_q, _a = hearing.questions
    raw = {f"q{single.id}": [str(single.options[choices].id)]}
    if scale is not None:
        raw[f"q{scale_q.id}"] = [str(scale)]
    if age:
        raw["bg_age"] = [age]
    for place, index in enumerate(ranking or [], start=1):
        raw[f"rank-{ranking_q.id}-{ranking_q.options[index].id}"] = [str(place)]
    checked = answering.submit_response(hearing, raw, paper=True)
    assert checked.errors == {}


def _single(hearing):
    return results.question_results(hearing)[0]


def _counts(result):
    return [row.count for row in result.rows]


def test_four_respondents_reveal_nothing(app, worker, ctx):
    hearing = build(user(worker))
    for _ in range(4):
        _answer(hearing, 0, scale=3, ranking=[1, 0])
    single, _multiple, scale, _text, ranking, _area = results.question_results(hearing)
    assert single.answered is None and _counts(single) == [None, 0, 0]
    assert scale.answered is None and scale.average is None
    assert all(row.score is None for row in ranking.rows)
    assert results.summary_json(hearing)["respondents"] == {"count": None, "suppressed": True}


def test_five_respondents_are_published(app, worker, ctx):
    hearing = build(user(worker))
    for _ in range(5):
        _answer(hearing, 0, scale=3, ranking=[1, 0])
    single, _multiple, scale, _text, ranking, _area = results.question_results(hearing)
    assert single.answered == 5 and _counts(single) == [5, 0, 0]
    assert single.rows[0].share == 100.0
    assert scale.average == 3.0
    # Two options ranked by five people: first place 3 points, second 2 (four options).
    assert {row.label: row.score for row in ranking.rows}["X"] == 15
    assert results.summary_json(hearing)["respondents"]["count"] == 5


def test_a_hidden_cell_cannot_be_subtracted_from_the_total(app, worker, ctx):
    hearing = build(user(worker))
    for choice in [0] * 5 + [1]:  # A 5, B 1: hiding B alone would leave B = 6 - 5
        _answer(hearing, choice, scale=5 if choice else 4)
    single = _single(hearing)
    published = [count for count in _counts(single) if count]
    assert single.answered is not None
    assert single.answered - sum(published) not in range(1, MIN_CELL), single.rows
    assert _counts(single) == [None, None, 0]
    scale = results.question_results(hearing)[2]
    assert scale.average is None  # derived from hidden cells


@pytest.mark.parametrize("ages, expected", [
    (["12-14"] * 4 + ["15-17"], {"12-14": None, "15-17": None}),
    (["12-14"] * 5 + ["15-17"] * 4, {"12-14": None, "15-17": None}),
    (["12-14"] * 5 + ["15-17"] * 5, {"12-14": 5, "15-17": 5}),
])
def test_breakdowns_suppress_small_groups_and_their_complement(app, worker, ctx, ages, expected):
    hearing = build(user(worker))
    for age in ages:
        _answer(hearing, 0, age=age)
    by_age = dict(results.breakdowns(hearing)["age_band"])
    assert by_age == expected
    total = results.respondent_count(hearing)
    shown = sum(count for count in by_age.values() if count)
    assert total - shown == 0 or total - shown >= MIN_CELL


def test_multiple_choice_counts_each_option_not_combinations(app, worker, ctx):
    hearing = build(user(worker))
    single, multiple = hearing.questions[0], hearing.questions[1]
    p, q, r = (str(option.id) for option in multiple.options)
    for chosen in ([p, q], [p, q], [p], [p, r], [p, q], [q]):
        raw = {f"q{single.id}": [str(single.options[0].id)], f"q{multiple.id}": chosen}
        assert answering.submit_response(hearing, raw, paper=True).errors == {}
    result = results.question_results(hearing)[1]
    assert _counts(result) == [5, None, None]  # P 5, Q 4 and R 1 hidden; no total to subtract
    assert result.answered == 6


def test_exports_mark_hidden_cells_and_never_hold_them(app, worker, ctx):
    hearing = build(user(worker))
    for choice in [0] * 5 + [1]:
        _answer(hearing, choice)
    rows = list(csv.reader(io.StringIO(results.results_csv(hearing))))
    single_rows = [row for row in rows[1:] if row[0] == "1"]
    assert [row[3] for row in single_rows] == ["..", "..", "0"]
    cells = results.summary_json(hearing)["questions"][0]["rows"]
    assert [cell["count"] for cell in cells] == [None, None, 0]
    assert [cell["suppressed"] for cell in cells] == [True, True, False]


def test_free_text_appears_only_once_approved(app, worker, ctx):
    from participation.hearings.models import TextAnswer

    hearing = build(user(worker))
    single, text = hearing.questions[0], hearing.questions[3]
    raw = {f"q{single.id}": [str(single.options[0].id)], f"q{text.id}": ["=1+1 kiva"]}
    answering.submit_response(hearing, raw, paper=True)
    assert results.question_results(hearing)[3].texts == []
    answer = db.session.query(TextAnswer).one()
    answer.moderation_state = "published"
    db.session.flush()
    assert [t.text for t in results.question_results(hearing)[3].texts] == ["=1+1 kiva"]
    services.close(hearing, user(worker))
    log = results.consultation_log_csv([hearing])
    assert ",total,,..\n" in log  # one respondent: the total itself is hidden


def test_a_conditional_question_cannot_reveal_its_hidden_trigger(app, worker, ctx):
    # A 6, B 1: both hidden. The follow-up asked only of those who chose A would show that
    # six answered it, and so that B is 1: its counts hide with the trigger.
    hearing = build(user(worker))
    single, multiple = hearing.questions[0], hearing.questions[1]
    for choice in [0] * 6 + [1]:
        raw = {f"q{single.id}": [str(single.options[choice].id)]}
        if choice == 0:
            raw[f"q{multiple.id}"] = [str(multiple.options[0].id)]
        assert answering.submit_response(hearing, raw, paper=True).errors == {}
    first, follow_up = results.question_results(hearing)[:2]
    assert _counts(first) == [None, None, 0]
    assert follow_up.answered is None and _counts(follow_up) == [None, None, None]


def test_consultation_log_records_the_feedback_text_in_finnish_and_swedish(app, worker, ctx):
    from participation.hearings import feedback

    hearing = build(user(worker))
    for choice in [0] * 5:
        _answer(hearing, choice)
    services.close(hearing, user(worker))
    feedback.add_point(hearing, user(worker), {
        "theme_fi": "Tilat", "heard_fi": "Sohvia toivottiin", "heard_sv": "Man ville ha soffor",
        "action_fi": "Ostamme sohvat", "action_sv": "Vi köper soffor",
        "link_url": "https://example.org/paatos"})
    before = list(csv.reader(io.StringIO(results.consultation_log_csv([hearing]))))
    assert not [row for row in before if row[8] == "feedback"]  # not yet published
    feedback.publish_feedback(hearing, user(worker))
    rows = list(csv.reader(io.StringIO(results.consultation_log_csv([hearing]))))
    points = [row for row in rows[1:] if row[8] == "feedback"]
    assert points == [[*points[0][:8], "feedback", "Tilat", "", "Sohvia toivottiin",
                       "Ostamme sohvat", "Man ville ha soffor", "Vi köper soffor",
                       "https://example.org/paatos"]]
    assert points[0][7] == "1" and points[0][6]  # the count and the day stay too
