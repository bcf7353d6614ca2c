"""What budgeting adds to a person's data export and does on account deletion.

Ballots are not in the export: nothing links them to a person (that is the point). Drafts
live only in the person's own session cookie, never in the database.

Deleting an account must not reopen the vote: if staff or an identity provider checked the
person's identity, each voter-roll entry of the account keeps the round's keyed hash of that
identity (the same key an in-person voter without an account gets). A new account verified
with the same name and date of birth then meets the old entry and cannot vote again in that
budget. The hash cannot be turned back into a name without the key kept outside the database.
"""

from __future__ import annotations

import sqlalchemy as sa

from ...core.formats import machine_datetime as _iso
from ...core.privacy import register_anonymiser, register_exporter
from ...extensions import db
from ..rounds.models import Proposal, ProposalComment, ProposalFollow
from .identity import round_person_key
from .models import VoterRollEntry, VoterVerification


def export_budgeting(user) -> dict:
    proposals = db.session.scalars(
        sa.select(Proposal).where(Proposal.submitted_by_id == user.id)).all()
    roll = db.session.scalars(
        sa.select(VoterRollEntry).where(VoterRollEntry.user_id == user.id)).all()
    checks = db.session.scalars(
        sa.select(VoterVerification).where(VoterVerification.user_id == user.id)).all()
    comments = db.session.scalars(sa.select(ProposalComment)
                                  .where(ProposalComment.author_id == user.id)).all()
    follows = db.session.scalars(sa.select(ProposalFollow)
                                 .where(ProposalFollow.user_id == user.id)).all()
    return {
        "following": [{"proposal_id": f.proposal_id, "round_id": f.round_id,
                       "since": _iso(f.created_at)} for f in follows],
        "proposal_comments": [{"id": c.id, "proposal_id": c.proposal_id, "text": c.body,
                               "language": c.language, "created_at": _iso(c.created_at),
                               "deleted_at": _iso(c.deleted_at)} for c in comments],
        "proposals": [{"id": p.id, "round_id": p.round_id, "title": p.title_fi or p.title_sv
                       or p.title_en, "cost": p.cost, "status": p.status,
                       "created_at": _iso(p.created_at)} for p in proposals],
        "voted": [{"round_id": e.round_id, "budget_id": e.budget_id, "channel": e.channel,
                   "voted_at": _iso(e.voted_at)} for e in roll],
        "identity_checks": [{"level": c.level, "method": c.method,
                             "verified_at": _iso(c.verified_at),
                             # Kept on the voter roll if the account is deleted (see above).
                             "identity_hash_kept": c.identity_key is not None}
                            for c in checks],
    }


def _kept_identity(user) -> str | None:
    """The identity hash a check on the account holds (staff check first), if any."""
    checks = db.session.scalars(sa.select(VoterVerification).where(
        VoterVerification.user_id == user.id, VoterVerification.identity_key.is_not(None))
        .order_by(VoterVerification.level.desc())).all()
    return checks[0].identity_key if checks else None


def anonymise_budgeting(user) -> None:
    identity = _kept_identity(user)
    if identity is not None:
        for entry in db.session.scalars(sa.select(VoterRollEntry).where(
                VoterRollEntry.user_id == user.id, VoterRollEntry.person_key.is_(None))):
            entry.person_key = round_person_key(entry.round_id, identity)
        db.session.flush()
    db.session.execute(sa.delete(ProposalFollow).where(ProposalFollow.user_id == user.id))
    db.session.execute(sa.delete(VoterVerification).where(VoterVerification.user_id == user.id))
    db.session.execute(sa.update(Proposal).where(Proposal.submitted_by_id == user.id)
                       .values(submitted_by_id=None))
    # Comments stay, like idea comments, with no author.
    db.session.execute(sa.update(ProposalComment).where(ProposalComment.author_id == user.id)
                       .values(author_id=None))
    # The roll keeps that someone voted (the count of voters) but no longer who: at most the
    # identity hash above, which names nobody without the key.
    db.session.execute(sa.update(VoterRollEntry).where(VoterRollEntry.user_id == user.id)
                       .values(user_id=None))


register_exporter("participatory_budgeting", export_budgeting)
register_anonymiser("participatory_budgeting", anonymise_budgeting)
