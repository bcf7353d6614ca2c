"""The published results CSV is safe to open in a spreadsheet: no cell becomes a formula."""

from __future__ import annotations

import csv
import io

from participation.budgeting.rounds.models import Proposal
from participation.extensions import db
from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_results import _publish, _vote_profile


def test_results_csv_cells_are_not_formulas(app, client, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory)
    with app.app_context():
        db.session.get(Proposal, ref.proposals["city"][0]).title_fi = "=cmd|' /C calc'!A0"
        db.session.get(Proposal, ref.proposals["city"][1]).title_fi = "@SUM(1+1)"
        db.session.commit()
    _publish(app, pb, ref)
    rows = list(csv.DictReader(io.StringIO(client.get(f"/budgeting/{ref.id}/results.csv").text)))
    titles = {row["title_fi"] for row in rows}
    assert {"'=cmd|' /C calc'!A0", "'@SUM(1+1)"} <= titles
    assert all(not row[key].startswith(("=", "+", "-", "@")) for row in rows for key in row)
