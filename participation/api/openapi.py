"""The API's OpenAPI 3.1 description. tests/api checks it against the routes and responses.

Every object is closed (additionalProperties: false), so the description is also the list of
every field the API may ever send.
"""

from __future__ import annotations

from functools import cache

from ..budgeting.rounds.statuses import PROPOSAL_STATUSES

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
NUMBER = {"type": "number"}
URL = {"type": "string", "format": "uri"}
DATE_TIME = {"type": "string", "format": "date-time"}


def nullable(schema: dict) -> dict:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, optional: tuple[str, ...] = (), description: str = "") -> dict:
    schema = {"type": "object", "additionalProperties": False, "properties": properties,
              "required": [name for name in properties if name not in optional]}
    if description:
        schema["description"] = description
    return schema


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


LOCALIZED = obj({"fi": STRING, "sv": STRING, "en": STRING},
                description="The same text in Finnish, Swedish and English.")
SCHEMAS = {
    "Error": obj({"error": obj({"code": STRING, "message": STRING, "parameter": STRING},
                               optional=("parameter",))},
                 description="The message is in the request's language (Accept-Language)."),
    "Localized": LOCALIZED,
    "AreaRef": obj({"id": INTEGER, "code": INTEGER, "name": ref("Localized")}),
    "Area": obj({"id": INTEGER, "code": INTEGER, "name": ref("Localized"),
                 "population": nullable(obj({"count": INTEGER, "year": INTEGER}))}),
    "AreaList": obj({"items": array(ref("Area"))}),
    "Links": obj({"self": URL, "html": URL, "results": URL}, optional=("html", "results")),
    "IdeaStatus": obj({
        "code": {"type": "string", "enum": ["submitted", "under_review", "merged",
                                            "budgeting_proposal", "answered", "rejected",
                                            "implemented"]},
        "label": ref("Localized"),
        "public_answer": nullable(obj({"text": STRING, "html": STRING, "language": STRING})),
        "changed_at": nullable(DATE_TIME),
    }, optional=("public_answer", "changed_at")),
    "IdeaSummary": obj({
        "id": INTEGER, "title": STRING, "language": STRING,
        "area": nullable(ref("AreaRef")),
        "theme": obj({"slug": STRING, "name": ref("Localized")}),
        "status": ref("IdeaStatus"),
        "supporters_count": INTEGER, "comments_count": INTEGER,
        "created_at": DATE_TIME,
        "author": nullable(STRING),
        "links": ref("Links"),
    }, description="area is null for a city-wide idea; author is null for a deleted account."),
    "IdeaList": obj({
        "items": array(ref("IdeaSummary")), "total": INTEGER, "capped": BOOLEAN,
        "page": INTEGER, "per_page": INTEGER, "pages": INTEGER, "sort": STRING,
        "links": obj({"self": URL, "next": nullable(URL), "prev": nullable(URL)}),
    }, description="capped: more ideas match than total; a text search counts the newest "
                   "1,000 matches, a list without one the first 1,000 in its order."),
    "Budget": obj({"id": INTEGER, "area": nullable(ref("AreaRef")), "amount": INTEGER,
                   "currency": STRING},
                  description="area is null for the city-wide budget; amount in whole euros."),
    "Rule": obj({"key": STRING, "name": ref("Localized"), "explanation": ref("Localized"),
                 "proportional": BOOLEAN, "min_votes": nullable(INTEGER)}),
    "RoundSummary": obj({
        "id": INTEGER, "title": ref("Localized"), "area": nullable(ref("AreaRef")),
        "current_phase": nullable(STRING), "published_at": DATE_TIME,
        "results_published": BOOLEAN, "links": ref("Links"),
    }),
    "RoundList": obj({"items": array(ref("RoundSummary"))}),
    "Phase": obj({"kind": STRING, "name": nullable(ref("Localized")),
                  "starts_at": DATE_TIME, "ends_at": DATE_TIME}),
    "ProposalStatus": obj({
        "code": {"type": "string", "enum": list(PROPOSAL_STATUSES)},
        "label": ref("Localized"),
        "reason": nullable(ref("Localized")),
    }, description="reason: the public reason for 'not_feasible' and 'cancelled'."),
    "ProposalSummary": obj({
        "id": INTEGER, "budget_id": INTEGER, "title": ref("Localized"), "cost": INTEGER,
        "status": ref("ProposalStatus"), "links": obj({"html": URL}),
    }),
    "SelectedProposal": obj({
        "id": INTEGER, "title": ref("Localized"), "cost": INTEGER, "votes": INTEGER,
        "points": INTEGER, "status": ref("ProposalStatus"),
        "ideas": array(obj({"id": INTEGER, "title": STRING, "links": ref("Links")})),
        "links": obj({"html": URL}),
    }),
    "BudgetResult": obj({"budget": ref("Budget"), "ballots": INTEGER,
                         "ballots_published": BOOLEAN, "total_cost": INTEGER,
                         "selected": array(ref("SelectedProposal"))},
                        description="total_cost is the sum of the selected proposals listed."),
    "Results": obj({
        "round": obj({"id": INTEGER, "title": ref("Localized"), "links": ref("Links")}),
        "rule": ref("Rule"), "results_published_at": DATE_TIME,
        "budgets": array(ref("BudgetResult")),
        "groups": ref("ResultGroups"),
    }),
    "Index": obj({"name": STRING, "version": STRING, "links": obj({
        "openapi": URL, "areas": URL, "ideas": URL, "budgeting_rounds": URL,
        "hearings": URL, "indicators": URL})}),
}
NUMBER_OR_NULL = {"type": ["number", "null"]}
SCHEMAS["IndicatorRow"] = obj({
    "indicator_id": STRING, "period": STRING,
    "area_code": STRING, "age_band": STRING, "language_group": STRING,
    "value": NUMBER_OR_NULL, "numerator": nullable(INTEGER), "denominator": NUMBER_OR_NULL,
    "lower": NUMBER_OR_NULL, "upper": NUMBER_OR_NULL, "suppressed": BOOLEAN,
    "computed_at": DATE_TIME, "denominator_year": nullable(INTEGER),
}, description="One figure. Empty area_code, age_band or language_group: everyone. "
               "suppressed: a group of fewer than 5 people, or one hidden so that it cannot "
               "be worked out by subtraction (value and numerator are then null). A rate "
               "with a null value that is not suppressed has no population figure.")
SCHEMAS["IndicatorList"] = obj({"period": STRING, "previous_period": STRING,
                                "columns": array(STRING), "rows": array(ref("IndicatorRow"))})
SCHEMAS["Idea"] = obj({
    **SCHEMAS["IdeaSummary"]["properties"],
    "description": obj({"html": STRING, "language": STRING},
                       description="Sanitised HTML as the site shows it, and its language."),
    "merged_into": nullable(INTEGER),
    "image": nullable(obj({"url": URL, "alt": STRING, "width": nullable(INTEGER),
                           "height": nullable(INTEGER)})),
    "place": nullable(obj(
        {"address": nullable(STRING), "lat": nullable(NUMBER), "lon": nullable(NUMBER),
         "map_url": URL},
        description="An optional place: an address as the author typed it and/or a WGS84 "
                    "point in Espoo; map_url opens the city's map service there.")),
})
SCHEMAS["RoundDetail"] = obj({
    **SCHEMAS["RoundSummary"]["properties"],
    "description": ref("Localized"),
    "phases": array(ref("Phase")),
    "budgets": array(ref("Budget")),
    "ballot": obj({"type": {"type": "string", "enum": ["approval", "k_approval", "cumulative"]},
                   "name": nullable(ref("Localized")), "max_choices": nullable(INTEGER),
                   "points_total": nullable(INTEGER)}),
    "rule": ref("Rule"),
    "min_age": INTEGER, "max_age": nullable(INTEGER),
    "voting_closed_at": nullable(DATE_TIME), "results_published_at": nullable(DATE_TIME),
    "proposals": array(ref("ProposalSummary")),
})


# Youth hearings: hidden (suppressed) counts are null with suppressed: true, never revealed.
NUMBER = {"type": "number"}
COUNT = obj({"count": nullable(INTEGER), "suppressed": BOOLEAN},
            description="A count of people; null and suppressed when under minimum_cell "
                        "or when it would let a reader work out a hidden one.")
LOCALIZED_REF = ref("Localized")
_GROUP_TABLE = obj({
    "budget_id": nullable(INTEGER), "withheld": BOOLEAN, "voters": COUNT,
    "residents": nullable(INTEGER),
    "areas": array(obj({"area_code": {"type": ["integer", "string"]}, "voters": COUNT,
                        "residents": nullable(INTEGER)})),
    "age_bands": array(obj({"age_band": STRING, "voters": COUNT,
                            "residents": nullable(INTEGER)})),
}, description="Voters of the round (budget_id null) or of one budget by major area and age "
               "band, from the voter roll and participation events (never the ballots). "
               "area_code or age_band is \"unknown\" for voters whose group is not known.")
SCHEMAS["ResultGroups"] = obj({
    "minimum_cell": INTEGER, "population_year": nullable(INTEGER), "round": _GROUP_TABLE,
    "budgets": array(_GROUP_TABLE), "money_total": INTEGER,
    "money_by_area": array(obj({"area_code": nullable(INTEGER), "money": INTEGER,
                                "share": NUMBER_OR_NULL, "population_share": NUMBER_OR_NULL})),
}, description="Results by area and age band (issue 13). money_by_area: the winners' money by "
               "the area of their budget (area_code null: the city-wide budget).")
SCHEMAS.update({
    "HearingSummary": obj({
        "id": INTEGER, "title": LOCALIZED_REF,
        "state": {"type": "string", "enum": ["published", "closed"]},
        "organiser": STRING, "min_age": INTEGER, "max_age": INTEGER,
        "areas": {"type": "array", "items": ref("AreaRef")}, "opens_at": DATE_TIME,
        "closes_at": DATE_TIME,
        "feedback_due": {"type": "string", "format": "date"}, "links": ref("Links"),
    }, description="areas is empty for a city-wide hearing."),
    "HearingList": obj({"items": array(ref("HearingSummary"))}),
    "HearingQuestion": obj({
        "id": INTEGER, "position": INTEGER,
        "kind": {"type": "string", "enum": ["single", "multiple", "scale", "text", "ranking",
                                            "area", "district"]},
        "required": BOOLEAN, "text": LOCALIZED_REF, "plain": LOCALIZED_REF,
        "show_if": nullable(obj({"question_id": INTEGER, "option_id": INTEGER})),
        "max_choices": nullable(INTEGER), "max_length": nullable(INTEGER),
        "scale": nullable(obj({"low": LOCALIZED_REF, "high": LOCALIZED_REF})),
        "options": array(obj({"id": INTEGER, "label": LOCALIZED_REF})),
    }),
    "HearingFeedback": obj({"published_at": nullable(DATE_TIME), "points": array(obj({
        "question_id": nullable(INTEGER), "theme": LOCALIZED_REF, "heard": LOCALIZED_REF,
        "action": LOCALIZED_REF, "link_url": nullable(STRING), "idea_id": nullable(INTEGER),
        "proposal_id": nullable(INTEGER)}))}),
    "Count": COUNT,
    "GroupCount": obj({"group": STRING, "count": nullable(INTEGER), "suppressed": BOOLEAN}),
})
SCHEMAS["HearingDetail"] = obj({
    **SCHEMAS["HearingSummary"]["properties"], "intro": LOCALIZED_REF, "plain": LOCALIZED_REF,
    "contact_name": STRING, "questions": array(ref("HearingQuestion")),
    "feedback": ref("HearingFeedback"),
})
SCHEMAS["HearingResults"] = obj({
    "hearing_id": INTEGER, "respondents": ref("Count"), "minimum_cell": INTEGER,
    "questions": array(obj({
        "id": INTEGER, "position": INTEGER, "kind": STRING, "text": LOCALIZED_REF,
        "answered": nullable(ref("Count")), "average": nullable(NUMBER),
        "rows": array(obj({"label": STRING, "count": nullable(INTEGER), "suppressed": BOOLEAN,
                           "share_percent": nullable(NUMBER),
                           "borda_score": nullable(INTEGER)})),
        "approved_texts": array(STRING),
    })),
    "breakdowns": obj({name: array(ref("GroupCount"))
                       for name in ("age_band", "area", "channel", "session")}),
    "feedback": ref("HearingFeedback"),
}, description="Aggregated results of a closed hearing. Rankings carry Borda scores "
               "(first of n options n-1 points); multiple choice counts each option.")


def _response(description: str, schema: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": ref(schema)}}}


ERRORS = {
    "400": _response("A query parameter has a value the API cannot use.", "Error"),
    "404": _response("Not found (or not public).", "Error"),
    "429": _response("Too many requests; see Retry-After.", "Error"),
}


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or STRING}


def _id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1}}


def _get(operation_id: str, summary: str, schema: str, *, parameters=(),
         errors=("429",)) -> dict:
    responses = {"200": _response("OK", schema)}
    responses.update({code: ERRORS[code] for code in errors})
    return {"get": {"operationId": operation_id, "summary": summary,
                    "parameters": list(parameters), "responses": responses}}


IDEA_PARAMETERS = (
    _query("area", "A major area's id, or 'city' for city-wide ideas."),
    _query("theme", "A theme's slug."),
    _query("status", "An idea status code.", SCHEMAS["IdeaStatus"]["properties"]["code"]),
    _query("language", "The language the idea is written in (fi, sv, en...)."),
    _query("process", "A participation process key (e.g. 'ideas')."),
    _query("q", "Search words; every word must match (as a prefix)."),
    _query("sort", "Order of the list.",
           {"type": "string", "enum": ["newest", "supported", "discussed", "relevance"]}),
    _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
    _query("per_page", "Ideas per page, 1-100 (larger values are capped at 100).",
           {"type": "integer", "minimum": 1, "default": 20}),
)
PATHS = {
    "/api/v1/": _get("index", "Links to the API's resources.", "Index"),
    "/api/v1/openapi.json": {"get": {
        "operationId": "openapi", "summary": "This description.", "parameters": [],
        "responses": {"200": {"description": "OpenAPI 3.1 document",
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      "429": ERRORS["429"]}}},
    "/api/v1/areas": _get("listAreas", "Espoo's major areas with their latest population.",
                          "AreaList"),
    "/api/v1/ideas": _get("listIdeas", "Published ideas, filtered, searched and paginated.",
                          "IdeaList", parameters=IDEA_PARAMETERS, errors=("400", "429")),
    "/api/v1/ideas/{idea_id}": _get("getIdea", "One published idea.", "Idea",
                                    parameters=[_id("idea_id")], errors=("404", "429")),
    "/api/v1/indicators": _get(
        "listIndicators", "Goal 1 participation indicators of a period, small groups "
        "suppressed (the same rows as the CSV and JSON downloads).", "IndicatorList",
        parameters=[_query("period", "2026, 2026-Q1, 2026-03 or 2026-01-01..2026-06-30 "
                           "(Helsinki time); the current year by default.")],
        errors=("400", "429")),
    "/api/v1/budgeting/rounds": _get("listRounds", "Published participatory budgeting rounds.",
                                     "RoundList"),
    "/api/v1/budgeting/rounds/{round_id}": _get(
        "getRound", "A round: phases, budgets, ballot type, rule and texts.", "RoundDetail",
        parameters=[_id("round_id")], errors=("404", "429")),
    "/api/v1/budgeting/rounds/{round_id}/results": _get(
        "getRoundResults", "Selected proposals per budget, once results are published "
        "(404 with code results_not_published before).", "Results",
        parameters=[_id("round_id")], errors=("404", "429")),
    "/api/v1/hearings": _get("listHearings", "Published and closed youth hearings.",
                             "HearingList"),
    "/api/v1/hearings/{hearing_id}": _get(
        "getHearing", "A youth hearing: texts, questions and published feedback.",
        "HearingDetail", parameters=[_id("hearing_id")], errors=("404", "429")),
    "/api/v1/hearings/{hearing_id}/results": _get(
        "getHearingResults", "Aggregated results of a closed hearing, with disclosure "
        "control (404 while it is open).", "HearingResults",
        parameters=[_id("hearing_id")], errors=("404", "429")),
}


@cache
def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Osallistu Espoo API",
            "version": "1",
            "description": "Read-only public data of the City of Espoo's participation "
                           "service: areas, published ideas, participatory budgeting rounds "
                           "and their results, youth hearings with their results and "
                           "feedback, and the participation indicators. Times are ISO 8601 "
                           "in UTC; money is whole euros. Official names come in Finnish, "
                           "Swedish and English.",
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
