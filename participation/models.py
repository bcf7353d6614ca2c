"""Imports every domain's models so that metadata (and Alembic) sees all tables."""

from .accounts.models import RoleGrant, User  # noqa: F401
from .budgeting.rounds.models import (  # noqa: F401
    Budget,
    BudgetResult,
    BudgetRound,
    Proposal,
    ProposalIdea,
    ProposalPhoto,
    ProposalUpdate,
    RoundPhase,
)
from .budgeting.voting.models import (  # noqa: F401
    Ballot,
    BallotChoice,
    BallotEnvelope,
    VoterRollEntry,
    VoterVerification,
)
from .core.models import Area, AuditEntry, District, PopulationFigure  # noqa: F401
from .hearings.models import (  # noqa: F401
    Answer,
    AnswerDraft,
    ClassSession,
    FeedbackPoint,
    Hearing,
    Option,
    Question,
    Respondent,
    Response,
    TextAnswer,
)
from .ideas.models import (  # noqa: F401
    Idea,
    IdeaComment,
    IdeaFollow,
    IdeaStatusChange,
    IdeaSupport,
    Notification,
    Theme,
)
from .indicators import rollup  # noqa: F401  (inserted events keep the roll-up up to date)
from .indicators.models import ParticipantPeriod, ParticipationEvent  # noqa: F401
from .jobs.models import JobFailure, OutgoingMail  # noqa: F401
from .moderation.models import Appeal, Ban, Flag, ModerationDecision  # noqa: F401
