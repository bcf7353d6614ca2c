"""Demo participatory budgeting: a round in its voting phase, and an earlier one with results."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import sqlalchemy as sa

from ..accounts import services as accounts
from ..core.models import Area
from ..core.types import utcnow
from ..extensions import db
from .results.tally import publish_results
from .rounds import proposals
from .rounds import setup as rounds
from .rounds.models import BudgetRound
from .rounds.tracking import set_implementation_status
from .voting.ballots import ballot_proposals
from .voting.casting import cast_ballot, store_ballot
from .voting.models import VoterRollEntry

STAFF_EMAIL = "virkailija@example.org"
# area code (None = city-wide), cost, titles fi/sv/en, description fi/sv/en
CURRENT_PROPOSALS = [
    (None, 180_000, ("Kaupunkipyörät kaikkiin suuralueisiin", "Stadscyklar till alla storområden",
                     "City bikes in every major area"),
     ("Kaupunkipyöräasemia myös Pohjois- ja Vanhaan-Espooseen.",
      "Stadscykelstationer även i Norra och Gamla Esbo.",
      "City bike stations in northern and old Espoo too.")),
    (None, 120_000, ("Nuorten kesätyöseteli", "Sommarjobbssedel för unga",
                     "Summer job voucher for young people"),
     ("Seteli, jolla espoolainen yritys saa tukea nuoren kesätyöntekijän palkkaamiseen.",
      "En sedel som hjälper företag i Esbo att anställa unga på sommaren.",
      "A voucher that helps Espoo businesses hire young people for the summer.")),
    (None, 90_000, ("Esteettömät uimarannat", "Tillgängliga badstränder", "Accessible beaches"),
     ("Rantamatot ja uintipyörätuolit kolmelle uimarannalle.",
      "Strandmattor och badrullstolar till tre stränder.",
      "Beach mats and swimming wheelchairs for three beaches.")),
    (None, 60_000, ("Kirjastojen koodikerhot", "Kodklubbar i biblioteken",
                    "Coding clubs in libraries"),
     ("Viikoittaiset maksuttomat koodikerhot nuorille kuudessa kirjastossa.",
      "Gratis kodklubbar för unga varje vecka i sex bibliotek.",
      "Free weekly coding clubs for teenagers in six libraries.")),
    (1, 70_000, ("Penkkejä ja varjoa Leppävaaran puistoon", "Bänkar och skugga i Alberga park",
                 "Benches and shade in Leppävaara park"),
     ("Kymmenen penkkiä ja viisi puuta leikkipaikan ja lammen väliin.",
      "Tio bänkar och fem träd mellan lekplatsen och dammen.",
      "Ten benches and five trees between the playground and the pond.")),
    (1, 45_000, ("Valaistu kuntorata Perkkaalle", "Belyst motionsslinga i Perkala",
                 "A lit jogging track in Perkkaa"),
     ("Led-valaistus nykyiselle metsäpolulle.", "Led-belysning längs den nuvarande skogsstigen.",
      "LED lights along the existing forest path.")),
    (2, 55_000, ("Kesäkonsertit Tapiolan keskustaan", "Sommarkonserter i Hagalund centrum",
                 "Summer concerts in Tapiola centre"),
     ("Kymmenen ilmaista ulkokonserttia kesäiltoina.",
      "Tio gratis utomhuskonserter på sommarkvällarna.",
      "Ten free outdoor concerts on summer evenings.")),
    (2, 40_000, ("Lisää istumapaikkoja Westendin rantaraitille",
                 "Fler sittplatser längs strandpromenaden i Westend",
                 "More seats along the Westend shore path"),
     ("Käsinojallisia penkkejä 200 metrin välein.", "Bänkar med armstöd var tvåhundrade meter.",
      "Benches with armrests every 200 metres.")),
    (3, 65_000, ("Ulkokuntosali Matinkylän metroasemalle",
                 "Utegym vid Mattby metrostation", "Outdoor gym at Matinkylä metro station"),
     ("Leuanvetotangot ja yksinkertaiset laitteet, valaistu talvella.",
      "Räckhäv och enkla redskap, belyst på vintern.",
      "Pull-up bars and simple machines, lit in winter.")),
    (3, 30_000, ("Koirapuisto Olariin", "Hundpark i Olars", "A dog park in Olari"),
     ("Aidattu koirapuisto erikseen pienille ja isoille koirille.",
      "En inhägnad hundpark med separata delar för små och stora hundar.",
      "A fenced dog park with separate areas for small and large dogs.")),
]
EARLIER_PROPOSALS = [
    (80_000, ("Leikkipuistojen kunnostus", "Renovering av lekparker", "Renovating playgrounds")),
    (60_000, ("Pyöräparkit asemille", "Cykelparkering vid stationerna",
              "Bike parking at stations")),
    (50_000, ("Ulkoliikuntapaikkojen valot", "Belysning på utomhusidrottsplatser",
              "Lights for outdoor sports fields")),
    (40_000, ("Kesäteatteri nuorille", "Sommarteater för unga", "Summer theatre for youth")),
    (30_000, ("Roskakoreja rannoille", "Soptunnor vid stränderna", "Bins on the beaches")),
    (20_000, ("Lintutorni Laajalahdelle", "Fågeltorn vid Bredviken",
              "A bird tower at Laajalahti")),
]


def _texts(titles, descriptions=None) -> dict[str, str]:
    texts = {f"title_{code}": title for code, title in zip(("fi", "sv", "en"), titles,
                                                             strict=True)}
    for code, text in zip(("fi", "sv", "en"), descriptions or titles, strict=True):
        texts[f"description_{code}"] = text
    return texts


def _phases(budget_round: BudgetRound, starts: datetime, days: list[tuple[str, int]],
            staff) -> None:
    """Set through the service, so the audit log shows who set each phase."""
    moment = starts
    for kind, length in days:
        rounds.set_phase(budget_round, kind, moment, moment + timedelta(days=length), staff)
        moment += timedelta(days=length)
    db.session.flush()


def _current_round(staff) -> BudgetRound:
    budget_round = rounds.create_round(
        staff, title_fi="Osallistuva budjetointi 2026–2027",
        title_sv="Deltagande budgetering 2026–2027", title_en="Participatory budgeting 2026–2027",
        description_fi="Espoolaiset päättävät, miten kaksi miljoonaa euroa käytetään. Äänestä "
                       "koko kaupungin ja oman suuralueesi ehdotuksista.",
        description_sv="Esbobor bestämmer hur två miljoner euro används. Rösta på förslagen "
                       "för hela staden och för ditt eget storområde.",
        description_en="Espoo residents decide how two million euros are spent. Vote on the "
                       "proposals for the whole city and for your own major area.",
        ballot_type="approval", rule="mes_cost_add1_until_over_budget_greedy")
    rounds.apply_budget_split(budget_round, 2_000_000, Fraction(1, 5), staff)
    budgets = {budget.area.code if budget.area else None: budget
               for budget in budget_round.budgets}
    for area_code, cost, titles, descriptions in CURRENT_PROPOSALS:
        proposal = proposals.create_proposal(budget_round, budgets[area_code], staff, cost=cost,
                                             **_texts(titles, descriptions))
        proposals.review_proposal(proposal, staff, feasible=True)
    now = utcnow()
    _phases(budget_round, now - timedelta(days=75),
            [("proposals", 40), ("review", 25), ("voting", 31), ("results", 30),
             ("implementation", 365)], staff)
    rounds.publish_round(budget_round, staff)
    return budget_round


def _cast_demo_ballots(budget_round: BudgetRound) -> int:
    cast = 0
    for email in ("asukas@example.org", "invanare@example.org", "resident@example.org"):
        user = accounts.find_user_by_email(email)
        if user is None:
            continue
        for budget in budget_round.budgets:
            if budget.area_id not in (None, user.home_area_id):
                continue
            options = ballot_proposals(budget)
            choice = {options[0].id: 1} if budget.area_id else {
                p.id: 1 for p in options if p.cost <= 150_000}
            cast_ballot(budget_round, budget, user, choice)
            cast += 1
    return cast


def _earlier_round(staff) -> BudgetRound:
    budget_round = rounds.create_round(
        staff, title_fi="Osallistuva budjetointi 2025", title_sv="Deltagande budgetering 2025",
        title_en="Participatory budgeting 2025",
        description_fi="Edellinen kierros: tulokset ja toteutuksen eteneminen.",
        description_sv="Föregående omgång: resultat och hur genomförandet framskrider.",
        description_en="The previous round: results and how the work is progressing.",
        ballot_type="approval", rule="mes_cost_add1_until_over_budget")
    city = rounds.set_budget(budget_round, None, 150_000, staff)
    created = []
    for cost, titles in EARLIER_PROPOSALS:
        proposal = proposals.create_proposal(budget_round, city, staff, cost=cost,
                                             **_texts(titles))
        proposals.review_proposal(proposal, staff, feasible=True)
        created.append(proposal)
    _phases(budget_round, datetime(2025, 3, 1, 8, tzinfo=UTC),
            [("proposals", 30), ("review", 30), ("voting", 21), ("results", 30),
             ("implementation", 300)], staff)
    rounds.publish_round(budget_round, staff)
    rng = random.Random(2025)
    groups = [([0, 1, 4], 18), ([2, 3], 12), ([1, 5], 7), ([0, 2, 5], 5)]
    sheet = 0
    for picks, voters in groups:
        for _ in range(voters):
            sheet += 1
            chosen = {created[i].id: 1 for i in picks if rng.random() > 0.15} or \
                {created[picks[0]].id: 1}
            db.session.add(VoterRollEntry(round_id=budget_round.id, budget_id=city.id,
                                          user_id=None, slot="city", channel="paper"))
            store_ballot(city, chosen, channel="paper", sheet_number=sheet)
    publish_results(budget_round, staff, now=utcnow())
    first = next(p for p in created if p.status == "selected")
    set_implementation_status(first, staff, "under_construction")
    proposals.add_progress_update(
        first, staff, happened_on=date(2025, 9, 15), text_fi="Suunnittelu on valmis ja työt "
        "alkavat lokakuussa.", text_sv="Planeringen är klar och arbetet börjar i oktober.",
        text_en="The plans are ready and the work starts in October.")
    return budget_round


def seed_demo_budgeting(progress: Callable[[str], None] = print) -> bool:
    """Create the demo rounds once (False if any round exists or staff is missing)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(BudgetRound)):
        return False
    staff = accounts.find_user_by_email(STAFF_EMAIL)
    if staff is None or not db.session.scalar(sa.select(sa.func.count()).select_from(Area)):
        return False
    earlier = _earlier_round(staff)
    current = _current_round(staff)
    count = _cast_demo_ballots(current)
    db.session.flush()
    progress(f"  budgeting rounds {earlier.id} (results) and {current.id} (voting, "
             f"{count} ballots)")
    return True
