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
    "premoderation": _l("Waiting for a moderator before publishing"),
}


def decision_label(code: str):
    if code in DECISION_REASONS:
        return DECISION_REASONS[code][0]
    return AUTOMATIC_REASONS.get(code, code)


def public_text(code: str):
    return DECISION_REASONS.get(code, DECISION_REASONS["other"])[1]
