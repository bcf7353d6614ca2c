"""`participation pb close-voting` and `participation pb publish-results` for a round."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..core.exceptions import ServiceError
from ..extensions import db
from .rounds.models import BudgetRound


def _round(round_id: int) -> BudgetRound:
    budget_round = db.session.get(BudgetRound, round_id)
    if budget_round is None:
        raise click.ClickException(f"no round with id {round_id}")
    return budget_round


@click.command("close-voting")
@click.argument("round_id", type=int)
@click.option("--yes", is_flag=True, help="End a running vote without asking.")
@with_appcontext
def close_voting_command(round_id: int, yes: bool) -> None:
    """Close voting of ROUND_ID: erase the links between ballots and voters for good.

    While voting is still open this ends it now for everyone, after a confirmation."""
    from .voting.casting import close_voting
    from .voting.ending import end_voting_now

    budget_round = _round(round_id)
    try:
        if budget_round.voting_is_open():
            if not yes:
                click.confirm(f"Voting of round {round_id} is still open. End it now for "
                              "everyone? This cannot be undone", abort=True)
            end_voting_now(budget_round, None)
            first = True
        else:
            first = close_voting(budget_round, None)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Voting of round {round_id} closed; ballots shuffled, envelopes and keys erased."
               if first else f"Voting of round {round_id} was already closed.")


@click.command("publish-results")
@click.argument("round_id", type=int)
@with_appcontext
def publish_results_command(round_id: int) -> None:
    """Tally every budget of ROUND_ID with its rule and publish the results."""
    from .results.tally import publish_results

    try:
        publish_results(_round(round_id), None)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Results of round {round_id} published.")


@click.command("close-ended")
@with_appcontext
def close_ended_command() -> None:
    """Close every round whose voting phase has ended (run it from cron, e.g. every 5 min)."""
    from .voting.casting import close_ended_votes
    from .voting.closing import sweep_keys

    closed = close_ended_votes()
    db.session.commit()
    sweep_keys()  # keys a stopped process did not get to erase after an earlier closing
    click.echo(f"Closed voting of rounds {', '.join(map(str, closed))}; envelopes and keys erased."
               if closed else "No round had ended voting left open.")
