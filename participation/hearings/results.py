"""Results of a hearing, with disclosure control on every count of people.

Choice counts go through `suppress_counts`: single choice and scales publish the number who
answered as the total, so complementary suppression keeps a hidden cell from being subtracted
back; multiple choice counts each option (not combinations) and publishes no total beside them.
Averages, shares and Borda scores derived from a hidden cell are hidden with it. Breakdowns of
respondents (age band, area, session, channel) publish the number of respondents as the total.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from ..core.csvsafe import write_csv
from ..core.disclosure import MIN_CELL, format_count, suppress_counts
from ..core.models import Area, District
from ..extensions import db
from ..moderation.registry import PUBLISHED
from .models import (
    AREA,
    DISTRICT,
    MULTIPLE,
    RANKING,
    SCALE,
    SINGLE,
    TEXT,
    Answer,
    ClassSession,
    Hearing,
    Question,
    Response,
    TextAnswer,
)
from .services import HELSINKI


def borda_scores(rankings: list[list], options: list) -> dict:
    """Borda count: with m options, first place earns m-1 points, second m-2, ... last 0.

    A ranking that leaves options out gives them no points (they share the bottom)."""
    m = len(options)
    scores = dict.fromkeys(options, 0)
    for ranking in rankings:
        for place, option in enumerate(ranking):
            if option in scores:
                scores[option] += m - 1 - place
    return scores


@dataclass
class Row:
    label: str
    count: int | None
    share: float | None = None  # percent, one decimal
    score: int | None = None


@dataclass
class QuestionResult:
    question: Question
    answered: int | None
    rows: list[Row] = field(default_factory=list)
    average: float | None = None
    texts: list[TextAnswer] = field(default_factory=list)
    hidden_any: bool = False


def _share(count: int | None, total: int | None) -> float | None:
    if count is None or not total:
        return None
    return round(100 * count / total, 1)


def _respondent_scope(hearing: Hearing, session_id: int | None):
    condition = Response.hearing_id == hearing.id
    if session_id is not None:
        condition = sa.and_(condition, Response.class_session_id == session_id)
    return condition


def question_results(hearing: Hearing, session_id: int | None = None) -> list[QuestionResult]:
    scope = _respondent_scope(hearing, session_id)
    rows = db.session.execute(
        sa.select(Answer.response_id, Answer.question_id, Answer.option_id, Answer.value)
        .join(Response, Response.id == Answer.response_id).where(scope)).all()
    by_question = defaultdict(list)
    for row in rows:
        by_question[row.question_id].append(row)
    areas = {area.id: area.name for area in db.session.scalars(sa.select(Area))}
    results = []
    # A conditional question is answered only by those who chose its trigger option, so its
    # counts bound that option's count: where the trigger's count is hidden, they hide too.
    published_options: dict[int, int | None] = {}
    for question in hearing.questions:
        answers = by_question.get(question.id, [])
        answered = len({row.response_id for row in answers})
        result = QuestionResult(question=question, answered=answered)
        if question.kind in (SINGLE, MULTIPLE):
            counts = Counter(row.option_id for row in answers)
            cells = {option.id: counts.get(option.id, 0) for option in question.options}
            kept = suppress_counts(cells, total=answered, with_total=question.kind == SINGLE)
            if question.kind == SINGLE:
                result.answered = kept.total
            elif 0 < answered < MIN_CELL:
                result.answered = None
            result.rows = [Row(option.label, kept.value(option.id),
                               _share(kept.value(option.id), result.answered))
                           for option in question.options]
        elif question.kind == SCALE:
            counts = Counter(row.value for row in answers)
            cells = {value: counts.get(value, 0) for value in range(1, 6)}
            kept = suppress_counts(cells, total=answered)
            result.answered = kept.total
            result.rows = [Row(str(value), kept.value(value),
                               _share(kept.value(value), kept.total)) for value in range(1, 6)]
            if not kept.hidden and kept.total:
                result.average = round(sum(v * c for v, c in cells.items()) / answered, 1)
        elif question.kind == AREA:
            counts = Counter(row.value for row in answers)
            cells = {area_id: counts.get(area_id, 0) for area_id in areas}
            kept = suppress_counts(cells, total=answered)
            result.answered = kept.total
            result.rows = [Row(areas[area_id], kept.value(area_id),
                               _share(kept.value(area_id), kept.total)) for area_id in areas]
        elif question.kind == DISTRICT:
            # Districts with answers, by name: a district nobody chose adds nothing.
            counts = Counter(row.value for row in answers)
            names = {d.id: d.name for d in db.session.scalars(
                sa.select(District).where(District.id.in_(list(counts))))} if counts else {}
            kept = suppress_counts(dict(counts), total=answered)
            result.answered = kept.total
            result.rows = [Row(names.get(key, "?"), kept.value(key),
                               _share(kept.value(key), kept.total))
                           for key in sorted(counts, key=lambda key: names.get(key, ""))]
        elif question.kind == RANKING:
            rankings = defaultdict(list)
            for row in sorted(answers, key=lambda r: (r.response_id, r.value or 0)):
                rankings[row.response_id].append(row.option_id)
            scores = borda_scores(list(rankings.values()), [o.id for o in question.options])
            small = 0 < answered < MIN_CELL
            result.answered = None if small else answered
            result.rows = sorted((Row(option.label, None, None,
                                      None if small else scores[option.id])
                                  for option in question.options),
                                 key=lambda row: -(row.score or 0))
        elif question.kind == TEXT:
            result.answered = None
            if session_id is None:
                result.texts = list(db.session.scalars(sa.select(TextAnswer).where(
                    TextAnswer.question_id == question.id,
                    TextAnswer.moderation_state == PUBLISHED).order_by(TextAnswer.id)))
        if question.show_if_option_id is not None and \
                published_options.get(question.show_if_option_id) is None:
            _hide_all(result)
        for row, option in zip(result.rows, question.options, strict=False):
            if question.kind == SINGLE:
                published_options[option.id] = row.count
        result.hidden_any = any(row.count is None and row.score is None for row in result.rows) \
            or (result.answered is None and question.kind != TEXT)
        results.append(result)
    return results


def _hide_all(result: QuestionResult) -> None:
    result.answered = None
    result.average = None
    for row in result.rows:
        row.count = row.share = row.score = None
    result.texts = []


def respondent_count(hearing: Hearing, session_id: int | None = None) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Response).where(
        _respondent_scope(hearing, session_id))) or 0


def breakdowns(hearing: Hearing) -> dict[str, list[tuple[str, int | None]]]:
    """Respondents by age band, area, channel and group; "not known" is a cell too."""
    responses = db.session.execute(sa.select(
        Response.age_band, Response.area_id, Response.channel, Response.class_session_id)
        .where(Response.hearing_id == hearing.id)).all()
    total = len(responses)
    areas = {area.id: area.name for area in db.session.scalars(sa.select(Area))}
    sessions = {s.id: s.group_name for s in db.session.scalars(
        sa.select(ClassSession).where(ClassSession.hearing_id == hearing.id))}
    unknown = _("Not known")
    channel_names = {"web": _("Online"), "school_code": _("With a class code"),
                     "paper": _("On paper")}
    dimensions = {
        "age_band": lambda r: r.age_band or unknown,
        "area": lambda r: areas.get(r.area_id, unknown),
        "channel": lambda r: channel_names.get(r.channel, r.channel),
        "session": lambda r: sessions.get(r.class_session_id, _("No class session")),
    }
    out = {}
    for name, key in dimensions.items():
        counts = Counter(key(row) for row in responses)
        kept = suppress_counts(dict(counts), total=total)
        out[name] = [(label, kept.value(label)) for label in sorted(counts)]
    return out


def summary_json(hearing: Hearing) -> dict:
    """Aggregated results for export and the API: hidden cells are null with `suppressed`."""
    def cell(count):
        return {"count": count, "suppressed": count is None}

    questions = []
    for result in question_results(hearing):
        q = result.question
        questions.append({
            "id": q.id, "position": q.position, "kind": q.kind,
            "text": {"fi": q.text_fi, "sv": q.text_sv, "en": q.text_en},
            "answered": cell(result.answered) if q.kind != TEXT else None,
            "average": result.average,
            "rows": [{"label": row.label, **cell(row.count), "share_percent": row.share,
                      "borda_score": row.score} for row in result.rows],
            "approved_texts": [text.text for text in result.texts],
        })
    return {
        "hearing_id": hearing.id,
        "respondents": cell(_total_or_none(respondent_count(hearing))),
        "minimum_cell": MIN_CELL,
        "questions": questions,
        "breakdowns": {name: [{"group": label, **cell(count)} for label, count in rows]
                       for name, rows in breakdowns(hearing).items()},
    }


def _total_or_none(total: int) -> int | None:
    return None if 0 < total < MIN_CELL else total


def results_csv(hearing: Hearing) -> str:
    rows = []
    for result in question_results(hearing):
        q = result.question
        for row in result.rows:
            rows.append([q.position, q.text, row.label,
                         format_count(row.count, export=True) if q.kind != RANKING else "",
                         "" if row.share is None else row.share,
                         "" if row.score is None else row.score])
        if result.average is not None:
            rows.append([q.position, q.text, _("Average"), "", "", result.average])
    return write_csv(rows, header=[_("Question"), _("Question text"), _("Answer"),
                                   _("Respondents"), _("Share (%)"), _("Score")])


def consultation_log_csv(hearings: list[Hearing]) -> str:
    """Who was heard, how, when and what was answered back: the Youth Act's record."""
    rows = []
    for hearing in hearings:
        n = respondent_count(hearing)
        base = [hearing.id, hearing.title, hearing.organiser,
                _day(hearing.opens_at), _day(hearing.closes_at), hearing.feedback_due.isoformat(),
                _day(hearing.feedback_published_at), len(hearing.feedback)]
        rows.append([*base, "total", "", format_count(_total_or_none(n), export=True)])
        for name, cells in breakdowns(hearing).items():
            for label, count in cells:
                rows.append([*base, name, label, format_count(count, export=True)])
        if hearing.feedback_published_at is not None:
            for point in hearing.feedback:
                rows.append([*base, "feedback", point.theme_fi or point.theme_sv, "",
                             point.heard_fi, point.action_fi, point.heard_sv, point.action_sv,
                             point.link_url])
    header = [_("Hearing"), _("Title"), _("Organiser"), _("Opened"), _("Closed"),
              _("Feedback due"), _("Feedback published"), _("Feedback points"),
              _("Breakdown"), _("Group"), _("Respondents"),
              _("What we heard (Finnish)"), _("What we will do (Finnish)"),
              _("What we heard (Swedish)"), _("What we will do (Swedish)"), _("Follow-up link")]
    return write_csv(rows, header=header)


def _day(moment) -> str:
    return moment.astimezone(HELSINKI).date().isoformat() if moment else ""


def results_json_text(hearing: Hearing) -> str:
    return json.dumps(summary_json(hearing), ensure_ascii=False, indent=2)
