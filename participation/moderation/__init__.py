"""Moderation: a queue, flags, decisions with reasons, bans, appeals and an audit trail.

Content types plug in through `registry.register(ModeratedType(...))` and a notifier through
`registry.register_notifier(...)`; moderation never imports the domains, the domains import
moderation. `init_moderation(app)` runs after the domains have registered.
"""


def init_moderation(app) -> None:
    from . import privacy  # noqa: F401  (registers the data export and anonymiser)
    from .notify import register_notification_kind
    from .services import public_reason

    register_notification_kind()
    app.jinja_env.globals["moderation_reason"] = public_reason
