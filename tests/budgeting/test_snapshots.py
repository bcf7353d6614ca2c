"""The ballot page's per-process copy of a round (rounds/snapshots.py): the database moves a
round's data version at every change of what the page shows, whoever writes, and the page
uses its copy only while the version holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.budgeting.rounds import snapshots
from participation.budgeting.rounds.models import BudgetRound, Proposal, RoundPhase
from participation.core.models import Area
from participation.extensions import db
from tests.budgeting.builders import pb_fixture  # noqa: F401  (pb fixture)
from tests.statements import counted


def _version(app, round_id: int) -> int | None:
    with app.app_context():
        return db.session.scalar(sa.select(BudgetRound.data_version)
                                 .where(BudgetRound.id == round_id))


def _run(app, statement: str, **values) -> None:
    """A write as another process (or psql) would make it: plain SQL on its own connection."""
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text(statement), values)


# Each: SQL, and whether it changes what a ballot page may show.
CHANGES = {
    "round title": ("UPDATE budget_round SET title_en = 'New title' WHERE id = :round", True),
    "round closed": ("UPDATE budget_round SET voting_closed_at = created_at WHERE id = :round",
                     True),
    "phase removed": ("DELETE FROM round_phase WHERE id = :phase", True),
    "budget amount": ("UPDATE budget SET amount = amount + 1 WHERE id = :budget", True),
    "proposal text": ("UPDATE proposal SET title_en = 'Changed' WHERE id = :proposal", True),
    "proposal hidden": ("UPDATE proposal SET moderation_state = 'hidden' WHERE id = :proposal",
                        True),
    "proposal removed": ("DELETE FROM proposal WHERE id = :proposal", True),
    "area renamed": ("UPDATE area SET name_en = name_en || ' area'", True),
    # A cast's closing check on SQLite writes the column over itself to take the write lock.
    "nothing changed": ("UPDATE budget_round SET voting_closed_at = voting_closed_at "
                        "WHERE id = :round", False),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_moves_the_rounds_version(app, pb, change):
    ref = pb.round()
    with app.app_context():
        phase = db.session.scalar(sa.select(RoundPhase.id).filter_by(round_id=ref.id))
    before = _version(app, ref.id)
    statement, moves = CHANGES[change]
    _run(app, statement, round=ref.id, phase=phase, budget=ref.budget(),
         proposal=ref.proposals["city"][0])
    assert (_version(app, ref.id) != before) is moves


def test_changes_through_the_services_move_it_too(app, pb, factory):
    """The ORM's writes go through the same triggers: a new proposal, a moved phase."""
    from participation.budgeting.rounds import proposals as proposal_service

    ref = pb.round(state="proposals")
    before = _version(app, ref.id)
    with app.test_request_context():
        budget_round = db.session.get(BudgetRound, ref.id)
        budget = next(b for b in budget_round.budgets if b.id == ref.budget())
        proposal_service.create_proposal(budget_round, budget, factory.user(), cost=1_000,
                                         title_fi="Uusi", description_fi="Kuvaus.")
        db.session.commit()
    added = _version(app, ref.id)
    assert added != before
    with app.app_context():
        phase = db.session.scalar(sa.select(RoundPhase).filter_by(round_id=ref.id))
        phase.ends_at += timedelta(hours=1)
        db.session.commit()
    assert _version(app, ref.id) != added


def _other_value(column: sa.Column, value, app):
    """A value of the column's type other than `value`."""
    if column.name == "area_id":
        with app.app_context():
            return db.session.scalar(sa.select(Area.id).where(Area.id != value).limit(1))
    if column.name == "created_by_id":
        return None
    python_type = column.type.python_type
    if python_type is bool:
        return not value
    if python_type is int:
        return (value or 0) + 1
    if python_type is str:
        return (value or "") + "x"
    return (value + timedelta(days=1)) if value is not None else \
        db.session.scalar(sa.select(BudgetRound.created_at).limit(1))


def test_a_change_to_any_column_of_a_round_moves_its_version(app, pb):
    """SQLite's trigger names the columns it compares: a column added to budget_round
    without making the trigger again fails here."""
    ref = pb.round()
    table = BudgetRound.__table__
    for column in table.columns:
        if column.name in ("id", "data_version"):
            continue
        with app.app_context():
            value = db.session.scalar(sa.select(column).where(table.c.id == ref.id))
            other = _other_value(column, value, app)
        before = _version(app, ref.id)
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(table.update().where(table.c.id == ref.id)
                               .values({column.name: other}))
        assert _version(app, ref.id) != before, column.name


def test_a_round_in_a_deleted_rounds_place_starts_at_another_version(app, pb):
    """SQLite gives a new row the highest id plus one: a deleted round's id comes back."""
    ref = pb.round()
    old = _version(app, ref.id)
    with app.app_context():
        db.session.execute(sa.delete(Proposal).where(Proposal.round_id == ref.id))
        db.session.delete(db.session.get(BudgetRound, ref.id))
        db.session.commit()
    again = pb.round()
    assert _version(app, again.id) != old


def _page(ref) -> str:
    return f"/budgeting/{ref.id}/vote/{ref.budget()}"


def _round_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if " FROM budget_round" in s and "data_version," not in s
            or " FROM proposal" in s or " FROM budget " in s or " FROM round_phase" in s]


def test_the_page_reads_the_round_once_while_nothing_changes(app, client, pb, factory, auth):
    ref = pb.round()
    auth.login(factory.user(language="en").email)
    client.get(_page(ref))
    with counted(app) as statements:
        assert client.get(_page(ref)).status_code == 200
    assert _round_reads(statements) == []
    _run(app, "UPDATE budget SET amount = amount + 1 WHERE id = :budget", budget=ref.budget())
    with counted(app) as statements:
        assert client.get(_page(ref)).status_code == 200
    assert _round_reads(statements) != []


def test_the_page_shows_a_change_made_elsewhere_at_once(app, client, pb, factory, auth):
    """Another process's writes (plain SQL here) show on the next page of this one."""
    ref = pb.round()
    auth.login(factory.user(language="en").email)
    first = ref.proposals["city"][0]
    assert "Proposal city-1" in client.get(_page(ref)).text
    _run(app, "UPDATE proposal SET title_en = 'A bench by the shore' WHERE id = :id", id=first)
    page = client.get(_page(ref)).text
    assert "A bench by the shore" in page and "Proposal city-1" not in page
    _run(app, "UPDATE budget SET amount = 123456 WHERE id = :id", id=ref.budget())
    assert "123" in client.get(_page(ref)).text.replace("\xa0", " ").replace(" ", "")
    _run(app, "UPDATE budget_round SET voting_closed_at = created_at WHERE id = :id", id=ref.id)
    closed = client.get(_page(ref))
    assert closed.status_code == 403 and "A bench by the shore" not in closed.text


def test_an_unpublished_or_missing_round_or_budget_is_not_found(app, client, pb, factory,
                                                                auth):
    ref = pb.round()
    other = pb.round()
    auth.login(factory.user(language="en").email)
    assert client.get(_page(ref)).status_code == 200
    assert client.get(f"/budgeting/{ref.id}/vote/{other.budget()}").status_code == 404
    assert client.get(f"/budgeting/{ref.id + 1000}/vote/{ref.budget()}").status_code == 404
    _run(app, "UPDATE budget_round SET published_at = NULL WHERE id = :id", id=ref.id)
    assert client.get(_page(ref)).status_code == 404


def test_kept_objects_belong_to_no_session(app, client, pb, factory, auth):
    """Shared by a process's threads: detached, and the cast after the page reads its own."""
    ref = pb.round()
    auth.login(factory.user(language="en").email)
    client.get(_page(ref))
    with app.app_context():
        kept = app.extensions[snapshots.EXTENSION].get(ref.id)
        objects = [kept.budget_round, *kept.budget_round.phases, *kept.budget_round.budgets]
        assert all(sa.inspect(item).detached for item in objects)
    cast = client.post(f"{_page(ref)}/cast", data={"choice": [str(ref.proposals["city"][0])]})
    assert cast.headers["Location"].endswith("/done")
    with app.app_context():
        assert all(sa.inspect(item).detached for item in objects)
