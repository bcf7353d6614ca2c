"""Results: the counting rules (rules/), the tally of a budget and its publication (tally,
publication), explanations in words (explain, rulebook), charts, the greedy comparison, your
picks, results by area and age band (groups), and open data (exports, pabulib)."""
