"""The moderation log CSV is safe to open in a spreadsheet: no cell becomes a formula."""

from __future__ import annotations

import csv
import io


def test_log_csv_cells_are_not_formulas(client, auth, moderator, idea_id):
    auth.login(moderator.email)
    note = '=HYPERLINK("http://evil.example","Click")'
    response = client.post(f"/moderation/item/idea/{idea_id}",
                           data={"action": "hide", "reason": "spam", "note": note})
    assert response.status_code == 302
    rows = list(csv.DictReader(io.StringIO(client.get("/moderation/log.csv").text)))
    assert [row["note"] for row in rows if row["action"] == "hide"] == ["'" + note]
