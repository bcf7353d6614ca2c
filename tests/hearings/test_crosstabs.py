"""Per-question breakdowns by age band and area: suppression by hand-worked tables."""

from __future__ import annotations

from participation.extensions import db
from participation.hearings import answering, crosstabs, results, services
from tests.hearings.conftest import build, user

AGE_COLUMNS = ["0-11", "12-14", "15-17", "18-29", ""]


def _answer(hearing, choice, age=None):
    single = hearing.questions[0]
    raw = {f"q{single.id}": [str(single.options[choice].id)]}
    if age:
        raw["bg_age"] = [age]
    assert answering.submit_response(hearing, raw, paper=True).errors == {}


def _tables(hearing):
    main = results.question_results(hearing)
    return {table.dimension: table for table in crosstabs.question_breakdowns(hearing, main)
            if table.question_id == hearing.questions[0].id}


def _cells(table):
    return [cells for _label, cells in table.rows]


def test_five_in_every_cell_are_shown_by_age_and_area(app, worker, ctx):
    hearing = build(user(worker))
    for choice in (0, 1):
        for age in ("12-14", "15-17"):
            for _ in range(5):
                _answer(hearing, choice, age)
    tables = _tables(hearing)
    assert [key for key, _label in tables["age_band"].columns] == AGE_COLUMNS
    assert _cells(tables["age_band"]) == [[0, 5, 5, 0, 0], [0, 5, 5, 0, 0], [0, 0, 0, 0, 0]]
    # Nobody named an area: everyone is in "not known", so the rows add up to the options.
    assert [cells[-1] for cells in _cells(tables["area"])] == [10, 10, 0]


def test_a_small_cell_and_its_complements_hide_in_rows_and_columns(app, worker, ctx):
    # A: 5, 5, 5 and B: 5, 5, 1 by 12-14, 15-17, 18-29. B's 1 hides; row B hides one more
    # (12-14), column 18-29 hides A's 5, column 12-14 hides A's 5: 15-17 stays.
    hearing = build(user(worker))
    for choice, ages in ((0, ("12-14", "15-17", "18-29")), (1, ("12-14", "15-17"))):
        for age in ages:
            for _ in range(5):
                _answer(hearing, choice, age)
    _answer(hearing, 1, "18-29")
    assert _cells(_tables(hearing)["age_band"]) == [
        [0, None, 5, None, 0], [0, None, 5, None, 0], [0, 0, 0, 0, 0]]


def test_an_option_hidden_in_the_main_results_hides_in_the_table_too(app, worker, ctx):
    # Main: A 10, B 1, C 5, so B and C hide. C's 5 by age would give C and so B back.
    hearing = build(user(worker))
    for age in ("12-14", "15-17"):
        for _ in range(5):
            _answer(hearing, 0, age)
    _answer(hearing, 1)
    for _ in range(5):
        _answer(hearing, 2, "12-14")
    main = [row.count for row in results.question_results(hearing)[0].rows]
    assert main == [10, None, None]
    assert _cells(_tables(hearing)["age_band"]) == [
        [0, None, None, 0, 0], [0, 0, 0, 0, None], [0, None, 0, 0, 0]]


def test_results_page_shows_the_tables_to_everyone_once_closed(app, client, worker):
    with app.test_request_context():
        hearing = build(user(worker))
        for age in ("12-14", "15-17"):
            for _ in range(5):
                _answer(hearing, 0, age)
        services.close(hearing, user(worker))
        db.session.commit()
        hearing_id = hearing.id
    page = client.get(f"/hearings/{hearing_id}/results").get_data(as_text=True)
    assert "Vastaukset ikäryhmittäin" in page and "Vastaukset alueittain" in page
    assert '<th scope="col">12–14</th>' in page
    assert "<td>5</td>" in page
