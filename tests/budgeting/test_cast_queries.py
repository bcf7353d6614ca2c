"""A ballot cast sends a known number of statements to the database (issue 15, point 3).

Exact numbers on purpose: a query added to the cast path (a second read of the roll entry, a
ban read per write request, an ORM flush) makes this test fail, and whoever adds it decides
whether it is worth it and updates the numbers here and in bench/README.md.
"""

from __future__ import annotations

from participation.extensions import db
from tests.budgeting.builders import pb_fixture  # noqa: F401  (pb fixture)
from tests.statements import counted

# (first cast, re-cast, refused cast, ballot page), per database. The requests, in order:
#   every request: the account with its roles, active ban, unread count and whether it has
#   any identity check (one query, accounts/loading.py) (open votes are looked for only when
#   one may have ended since the process last looked: voting/end_watch.py,
#   tests/budgeting/test_end_watch.py);
#   a cast: the budget with its round and phases, the closing check (SQLite: UPDATE ...
#   RETURNING; PostgreSQL: SELECT ... FOR SHARE),
#   the voter's roll entry (locked), the ballot's proposals (their identity checks only when
#   the account has any: tests/budgeting/test_checks_with_account.py), then
#   first cast: roll insert (RETURNING), envelope insert, participation event, its roll-up
#   (read and upsert); re-cast: envelope delete and insert; refused: nothing written;
#   ballot page: the round's data version with the roll entry, the envelope (the round, its
#   budgets and their proposals are the process's copy: rounds/snapshots.py,
#   tests/budgeting/test_snapshots.py).
EXPECTED = {"sqlite": (10, 7, 5, 3), "postgresql": (10, 7, 5, 3)}


def _cast(client, ref, choices):
    return client.post(f"/budgeting/{ref.id}/vote/{ref.budget()}/cast",
                       data={"choice": [str(choice) for choice in choices]})


def _statements(app, request) -> tuple[object, list[str]]:
    with counted(app) as statements:
        response = request()
    return response, statements


def test_casting_sends_a_known_number_of_statements(app, client, auth, pb, factory):
    ref = pb.round()
    city = ref.proposals["city"]
    page = f"/budgeting/{ref.id}/vote/{ref.budget()}"
    # Another voter first: whatever a process reads once (the round's key file is made on the
    # first cast) is not counted.
    warm = factory.user()
    auth.login(warm.email)
    assert _cast(client, ref, [city[0]]).headers["Location"].endswith("/done")
    client.get(page)
    auth.logout()

    auth.login(factory.user().email)
    first, first_statements = _statements(app, lambda: _cast(client, ref, [city[1], city[3]]))
    again, again_statements = _statements(app, lambda: _cast(client, ref, [city[2]]))
    refused, refused_statements = _statements(app, lambda: _cast(client, ref, [max(city) + 99]))
    shown, page_statements = _statements(app, lambda: client.get(page))
    assert first.headers["Location"].endswith("/done")
    assert again.headers["Location"].endswith("/done")
    assert refused.headers["Location"].endswith(page)  # back to the ballot with the refusal
    assert shown.status_code == 200
    counts = tuple(map(len, (first_statements, again_statements, refused_statements,
                             page_statements)))
    listing = "\n".join(f"{name}:\n  " + "\n  ".join(statement[:140] for statement in found)
                        for name, found in (("first cast", first_statements),
                                            ("re-cast", again_statements),
                                            ("refused cast", refused_statements),
                                            ("ballot page", page_statements)))
    with app.app_context():
        dialect = db.engine.dialect.name
    assert counts == EXPECTED[dialect], listing


def test_a_banned_voter_is_refused_without_a_ban_query_of_its_own(app, client, auth, pb,
                                                                  factory):
    """The user loader reads the ban with the account; the guard then reads only the ban."""
    from participation.accounts.models import User
    from participation.moderation.sanctions import ban_user

    ref = pb.round()
    moderator = factory.user(roles=("moderator",))
    person = factory.user()
    auth.login(person.email)
    with app.test_request_context():
        ban_user(db.session.get(User, person.id), db.session.get(User, moderator.id), 7,
                 "harassment")
        db.session.commit()
    auth.login(person.email)  # the ban ended the person's sessions
    refused, statements = _statements(app, lambda: _cast(client, ref, [ref.proposals["city"][0]]))
    assert refused.status_code == 403
    assert sum("moderation_ban" in statement for statement in statements) == 2, statements
    assert not any("voter_roll_entry" in statement for statement in statements)
