"""/admin/jobs: tasks that failed after their last retry, and mail waiting or refused."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request

from ..core.pagination import paginate, parse_page
from ..core.permissions import roles_required
from ..extensions import db
from .models import JobFailure, OutgoingMail

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")


def mail_counts() -> dict[str, int]:
    def count(*where) -> int:
        return db.session.scalar(sa.select(sa.func.count(OutgoingMail.id)).where(*where)) or 0

    return {
        "waiting": count(OutgoingMail.sent_at.is_(None), OutgoingMail.failed_at.is_(None)),
        "failed": count(OutgoingMail.failed_at.is_not(None)),
    }


@bp.route("")
@roles_required("admin")
def failures():
    statement = sa.select(JobFailure).order_by(JobFailure.failed_at.desc(), JobFailure.id.desc())
    page = paginate(statement, parse_page(request.args.get("page")))
    return render_template("jobs/failures.html", page=page, mail=mail_counts())
