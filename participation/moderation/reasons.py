"""Reasons for flags and decisions, each with a public text in every language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Reasons a resident can give when flagging.
FLAG_REASONS = {
    "spam": _l("Spam or advertising"),
    "harassment": _l("Harassment or hate speech"),
    "personal_data": _l("Personal data about someone"),
    "off_topic": _l("Off topic"),
    "misinformation": _l("Misinformation"),
    "other": _l("Something else"),
}

# Reasons a moderator gives: a label and the public sentence shown in place of hidden content.
DECISION_REASONS = {
    "spam": (_l("Spam or advertising"),
             _l("This content was removed because it was spam or advertising.")),
    "harassment": (_l("Harassment or hate speech"),
                   _l("This content was removed because it harassed others or contained hate "
                      "speech.")),
    "personal_data": (_l("Personal data"),
                      _l("This content was removed because it contained personal data about "
                         "someone.")),
    "off_topic": (_l("Off topic"),
                  _l("This content was removed because it was not about the matter being "
                     "discussed.")),
    "misinformation": (_l("Misinformation"),
                       _l("This content was removed because it spread clearly false "
                          "information.")),
    "illegal": (_l("Against the law"),
                _l("This content was removed because it was against the law.")),
    "rules": (_l("Against the discussion rules"),
              _l("This content was removed because it broke the discussion rules.")),
    "acceptable": (_l("Follows the rules"),
                   _l("This content follows the discussion rules.")),
    "appeal_accepted": (_l("Appeal accepted"),
                        _l("This content was restored after a review.")),
    "other": (_l("Other reason"),
              _l("This content was removed by a moderator.")),
}

# Reasons recorded by the system itself (never chosen by a moderator).
AUTOMATIC_REASONS = {
    "flag_threshold": _l("Flagged by several residents: hidden until a moderator reviews it"),
    "word_filter": _l("The word filter found words that need a moderator's look"),
    "spam_pattern": _l("Looks like spam: a moderator will check it"),
    "new_account_link": _l("Contains a link from an account made less than two days ago"),
    "repeated_text": _l("The same text was posted several times in a short while"),
    "new_account_first_idea": _l("First idea of a new account"),
    # Shown in the queue for content held by pre-moderation (no automatic decision is recorded).
    "premoderation": _l("Waiting for a moderator before publishing"),
}

# The reasons that fit each decision: hiding needs a reason for removal, showing needs one
# for keeping, and so on. A decision with a reason that does not fit is refused.
REMOVAL_REASONS = ("spam", "harassment", "personal_data", "off_topic", "misinformation",
                   "illegal", "rules", "other")
KEEPING_REASONS = ("acceptable", "appeal_accepted", "other")
# A ban is about a person's conduct; personal data, off-topic or false content is hidden instead.
BAN_REASONS = ("spam", "harassment", "illegal", "rules", "other")
ACTION_REASONS = {
    "approve": ("acceptable", "other"),
    "hide": REMOVAL_REASONS,
    "restore": KEEPING_REASONS,
    "redact": ("personal_data", "illegal", "other"),
    "lock_comments": REMOVAL_REASONS,
    "unlock_comments": KEEPING_REASONS,
    "ban": BAN_REASONS,
    "lift_ban": KEEPING_REASONS,
    "dismiss_appeal": REMOVAL_REASONS,
}

# Labels for the states recorded before and after a decision (never shown as raw codes).
STATE_LABELS = {
    "published": _l("Published"),
    "pending": _l("Waiting for a moderator"),
    "hidden": _l("Hidden"),
    "comments_open": _l("Comments open"),
    "comments_locked": _l("Comments locked"),
    "not_banned": _l("Not banned"),
}
BANNED_UNTIL = "banned_until:"


def decision_label(code: str):
    if code in DECISION_REASONS:
        return DECISION_REASONS[code][0]
    return AUTOMATIC_REASONS.get(code, code)


def public_text(code: str):
    return DECISION_REASONS.get(code, DECISION_REASONS["other"])[1]


def banned_until_state(ends_at) -> str:
    from ..core.formats import machine_datetime

    return BANNED_UNTIL + machine_datetime(ends_at)


def state_label(code: str | None) -> str:
    """A recorded state in words: 'Hidden', 'Comments locked', 'Banned until 8.12.2026 10.00'."""
    if not code:
        return "–"
    if code.startswith(BANNED_UNTIL):
        from datetime import datetime

        from flask_babel import gettext

        from ..core.formats import format_datetime

        try:
            when = datetime.fromisoformat(code[len(BANNED_UNTIL):].replace("Z", "+00:00"))
        except ValueError:
            return code
        return gettext("Banned until %(date)s", date=format_datetime(when))
    return str(STATE_LABELS.get(code, code))


def reason_fits(action: str, reason: str) -> bool:
    return reason in ACTION_REASONS.get(action, ())
