"""The goal 1 indicators, defined once: names, formula, direction and method (the "about the
figures" page and every export read them from here)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Indicator age groups. Events and population figures use the finer bands of
# core.models.AGE_BANDS; each maps onto one group. The population band 12-14 straddles
# "under 13" and "13-17": it goes to 13-17 on both sides of every rate, so the 13-17 group
# also holds 12-year-olds (written on the about page).
AGE_GROUPS = ("under_13", "13-17", "18-29", "30-64", "65+")
BAND_TO_GROUP = {
    "0-11": "under_13", "12-14": "13-17", "15-17": "13-17", "18-29": "18-29",
    "30-44": "30-64", "45-64": "30-64", "65-74": "65+", "75+": "65+",
}
AGE_GROUP_LABELS = {
    "under_13": _l("under 13"), "13-17": _l("13–17"), "18-29": _l("18–29"),
    "30-64": _l("30–64"), "65+": _l("65 and over"),
}
LANGUAGE_GROUPS = ("fi", "sv", "other")
LANGUAGE_GROUP_LABELS = {"fi": _l("Finnish"), "sv": _l("Swedish"),
                         "other": _l("Other languages")}
# How people took part, in CHANNELS order (the staff tables count each person under the last).
CHANNEL_LABELS = {"web": _l("Online"), "school_code": _l("In a class session"),
                  "paper": _l("On paper"), "assisted": _l("With assistance")}
# Channels counted as inclusive (reaching people the web form does not).
INCLUSIVE_CHANNELS = ("school_code", "paper", "assisted")
# Participatory budgeting voters are 12 or older by default: every band from 12-14 up.
PB_ELIGIBLE_BANDS = ("12-14", "15-17", "18-29", "30-44", "45-64", "65-74", "75+")

HIGHER, LOWER, NEUTRAL = "higher", "lower", "neutral"
DIRECTION_LABELS = {HIGHER: _l("Higher is better"), LOWER: _l("Lower is better"),
                    NEUTRAL: _l("Neither direction is better")}


@dataclass(frozen=True)
class Indicator:
    id: str
    name: object  # lazy gettext: reads in fi, sv or en
    formula: object
    numerator: object
    denominator: object
    unit: str  # people, per_1000, percent, ratio, ideas, hearings, days, hours
    better: str
    method: object
    breakdowns: tuple = ()  # "area", "age_band", "language_group"
    people: bool = True  # counts of people: disclosure control applies


UNIT_LABELS = {
    "people": _l("people"), "per_1000": _l("per 1,000 residents"), "percent": _l("per cent"),
    "ratio": _l("ratio"), "ideas": _l("ideas"), "hearings": _l("hearings"),
    "days": _l("days"), "hours": _l("hours"), "responses": _l("responses"),
}
ALL = ("area", "age_band", "language_group")

INDICATORS = (
    Indicator(
        "participants", _l("Participants"), _l("Unique participants in the period"),
        _l("People who took part at least once"), _l("none"), "people", HIGHER,
        _l("Each person counts once in the period, however often they took part. A person "
           "whose actions name several areas, age bands or languages counts in one of each."),
        ALL),
    Indicator(
        "participation_rate", _l("Participation rate"),
        _l("Participants ÷ residents × 1,000, with a 95 per cent interval (Wilson)"),
        _l("Participants in the group"), _l("Residents in the group (population figures)"),
        "per_1000", HIGHER,
        _l("The interval shows how much the rate could vary by chance. The residents' "
           "figure is the newest one from the period's year or before, and its year is "
           "shown with the rate."), ALL),
    Indicator(
        "pb_turnout", _l("Participatory budgeting turnout"),
        _l("Voters ÷ eligible residents × 100"), _l("People who cast a ballot"),
        _l("Residents aged 12 and over"), "percent", HIGHER,
        _l("Eligible residents are those aged 12 and over, the default minimum age of a "
           "budgeting round."), ("area", "age_band")),
    Indicator(
        "representation_index", _l("Representation index"),
        _l("The group's share of participants ÷ its share of residents"),
        _l("The group's share of participants"), _l("The group's share of residents"),
        "ratio", NEUTRAL,
        _l("1 means the group takes part in proportion to its size; below 1 it is "
           "under-reached, above 1 over-represented."), ALL),
    Indicator(
        "equity_gap", _l("Equity gap between areas"),
        _l("Highest area participation rate ÷ lowest area participation rate"),
        _l("The highest area rate"), _l("The lowest area rate"), "ratio", LOWER,
        _l("Only areas whose rate is published and above zero count (an area where nobody "
           "took part shows as 0 among the areas). 1 means every area takes part equally."),
        people=False),
    Indicator(
        "ideas_submitted", _l("Ideas submitted"), _l("Ideas submitted in the period"),
        _l("Ideas"), _l("none"), "ideas", HIGHER,
        _l("The first step of the idea pipeline. Ideas are public, so they are counts of "
           "ideas, not of people."), people=False),
    Indicator(
        "ideas_answered", _l("Ideas answered"),
        _l("Ideas of the period the city has answered (any status after submitted)"),
        _l("Answered ideas"), _l("none"), "ideas", HIGHER,
        _l("An idea is answered when the city first changes its status."), people=False),
    Indicator(
        "ideas_answered_share", _l("Share of ideas answered"),
        _l("Answered ideas ÷ submitted ideas × 100"), _l("Answered ideas"),
        _l("Ideas submitted in the period"), "percent", HIGHER,
        _l("Counts the ideas submitted in the period and answered by now."), people=False),
    Indicator(
        "idea_answer_median_days", _l("Median days to an answer"),
        _l("Median of the days from an idea to the city's first answer"),
        _l("Answered ideas"), _l("none"), "days", LOWER,
        _l("Half of the answered ideas got their answer faster than this."), people=False),
    Indicator(
        "ideas_to_proposal", _l("Ideas turned into proposals"),
        _l("Ideas of the period linked to a budgeting proposal"), _l("Ideas"), _l("none"),
        "ideas", HIGHER, _l("The pipeline's third step."), people=False),
    Indicator(
        "ideas_on_ballot", _l("Ideas on the ballot"),
        _l("Ideas of the period whose proposal went on the ballot"), _l("Ideas"),
        _l("none"), "ideas", HIGHER, _l("The pipeline's fourth step."), people=False),
    Indicator(
        "ideas_chosen", _l("Ideas chosen"),
        _l("Ideas of the period whose proposal was chosen in the vote"), _l("Ideas"),
        _l("none"), "ideas", HIGHER, _l("The pipeline's fifth step."), people=False),
    Indicator(
        "ideas_implemented", _l("Ideas carried out"),
        _l("Ideas of the period carried out (by the city or as a chosen proposal)"),
        _l("Ideas"), _l("none"), "ideas", HIGHER, _l("The pipeline's last step."),
        people=False),
    Indicator(
        "hearings_held", _l("Youth hearings held"),
        _l("Hearings that closed in the period"), _l("Hearings"), _l("none"), "hearings",
        HIGHER, _l("Reads zero until youth hearings are in use."), people=False),
    Indicator(
        "hearing_responses", _l("Youth hearing responses"),
        _l("People who answered a youth hearing in the period"), _l("Respondents"),
        _l("none"), "people", HIGHER, _l("Each respondent counts once in the period.")),
    Indicator(
        "hearing_feedback_on_time", _l("Hearings with feedback on time"),
        _l("Hearings whose feedback was published by its due date ÷ hearings held × 100"),
        _l("Hearings with feedback on time"), _l("Hearings held"), "percent", HIGHER,
        _l("Reads zero until youth hearings are in use."), people=False),
    Indicator(
        "first_time_participants", _l("First-time participants"),
        _l("Participants of the period who had not taken part before it"),
        _l("People"), _l("none"), "people", HIGHER, _l("Compared with all earlier periods.")),
    Indicator(
        "repeat_participants", _l("Repeat participants"),
        _l("Participants of the period who had also taken part before it"),
        _l("People"), _l("none"), "people", HIGHER,
        _l("People active in two or more periods.")),
    Indicator(
        "inclusive_channel_share", _l("Inclusive channels"),
        _l("Participants through class sessions, paper or assisted participation ÷ all "
           "participants × 100"),
        _l("People who took part through an inclusive channel"), _l("All participants"),
        "percent", HIGHER,
        _l("Class sessions use a school code; assisted participation is entered by staff "
           "with the resident."), ("language_group",)),
    Indicator(
        "moderation_median_hours", _l("Moderation: median time to a decision"),
        _l("Median hours from a message to a moderator's first decision"),
        _l("Decisions"), _l("none"), "hours", LOWER,
        _l("Counts the items first decided in the period."), people=False),
)
BY_ID = {indicator.id: indicator for indicator in INDICATORS}
# Indicators divided by a population figure: without one they read "no population data".
POPULATION_BASED = frozenset({"participation_rate", "pb_turnout", "representation_index"})
