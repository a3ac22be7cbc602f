"""Demo data: groups for Keski-Suomi and Pohjois-Savo with members of every role, monthly
sessions for the coming year, cases in different states, and demo users. Idempotent: every
object is found by a natural key before it is created. All names and texts are fictional."""

from base64 import b32decode
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import (
    AllowedEmailDomain,
    BackgroundInformation,
    Case,
    CaseDeclaration,
    CaseState,
    Child,
    Consent,
    ConsentAnswer,
    ConsentMethod,
    ConsultationGroup,
    County,
    CountyAdmin,
    ExpertOrganisation,
    Feedback,
    Membership,
    Recommendation,
    RecommendationCategory,
    Role,
    Sector,
    Session,
    User,
)
from .services.sessions import nth_weekday

DEMO_PASSWORD = "Haastavat-erot-demo-2026"
# The demo desk users' authenticator key (base32). Add it to any TOTP app to log in to the desk.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

GROUPS = {
    "KS": {"name": "Haastavat erot -konsultaatioryhmä, Keski-Suomi", "weekday": 1, "week": 2, "hour": 13,
           "place": "Jyväskylä, Hannikaisenkatu 17, neuvotteluhuone Kuokkala / Teams"},
    "PS": {"name": "Haastavat erot -konsultaatioryhmä, Pohjois-Savo", "weekday": 3, "week": 3, "hour": 9,
           "place": "Kuopio, Puijonlaaksontie 2, kokoushuone 3 / Teams"},
}

# email local part, first name, last name, role or None, organisation, county code
MEMBERS = [
    ("koordinaattori.ks", "Kaisa", "Koordinaattori", Role.COORDINATOR, ExpertOrganisation.FAMILY_SOCIAL_WORK, "KS"),
    ("puheenjohtaja.ks", "Pekka", "Puheenjohtaja", Role.CHAIR, ExpertOrganisation.CHILD_GUIDANCE, "KS"),
    ("asiantuntija.poliisi.ks", "Aino", "Poliisi", Role.EXPERT, ExpertOrganisation.POLICE, "KS"),
    ("asiantuntija.perheoikeus.ks", "Eero", "Perheoikeus", Role.EXPERT, ExpertOrganisation.FAMILY_LAW, "KS"),
    ("asiantuntija.lastenpsykiatria.ks", "Liisa", "Lastenpsykiatria", Role.EXPERT,
     ExpertOrganisation.CHILD_PSYCHIATRY, "KS"),
    ("asiantuntija.lastensuojelu.ks", "Lauri", "Lastensuojelu", Role.EXPERT, ExpertOrganisation.CHILD_PROTECTION,
     "KS"),
    ("koordinaattori.ps", "Sari", "Sihteeri", Role.COORDINATOR, ExpertOrganisation.FAMILY_SOCIAL_WORK, "PS"),
    ("puheenjohtaja.ps", "Jussi", "Johtaja", Role.CHAIR, ExpertOrganisation.FAMILY_LAW, "PS"),
    ("asiantuntija.oikeuspsykiatria.ps", "Outi", "Oikeuspsykiatria", Role.EXPERT,
     ExpertOrganisation.FORENSIC_PSYCHIATRY, "PS"),
    ("asiantuntija.poliisi.ps", "Ville", "Poliisi", Role.EXPERT, ExpertOrganisation.POLICE, "PS"),
]
COUNTY_ADMINS = [("paakayttaja.ks", "Paula", "Pääkäyttäjä", "KS"), ("paakayttaja.ps", "Petri", "Pääkäyttäjä", "PS")]
WORKERS = [
    ("tyontekija.sosiaali", "Sanna", "Sosiaalityöntekijä", Sector.SOCIAL, "Lapsiperheiden sosiaalityö"),
    ("tyontekija.terveys", "Tiina", "Terveydenhoitaja", Sector.HEALTH, "Lastenneuvola"),
    ("tyontekija.koulu", "Kalle", "Koulukuraattori", Sector.EDUCATION, "Oppilashuolto"),
]
SUPERUSER = ("tekninen.yllapito", "Teemu", "Tekninen")
DOMAIN = {"KS": "keskisuomi.example", "PS": "pohjoissavo.example", None: "demo.example"}


def demo_email(local, county=None):
    return f"{local}@{DOMAIN[county]}"


def demo_logins():
    """Return [(role description, e-mail)] for the README and the run command."""
    rows = [(f"{role.label} {county}", demo_email(local, county)) for local, _f, _l, role, _o, county in MEMBERS]
    rows += [(f"County admin {county}", demo_email(local, county)) for local, _f, _l, county in COUNTY_ADMINS]
    rows += [(f"Worker ({sector.label})", demo_email(local)) for local, _f, _l, sector, _u in WORKERS]
    rows.append(("Superuser (technical)", demo_email(SUPERUSER[0])))
    return rows


def _user(email, first, last, **extra):
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last,
                                                                      **extra})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _demo_totp(user):
    TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={
        "key": b32decode(DEMO_TOTP_SECRET).hex(), "confirmed": True})


def monthly_starts(spec, today, months):
    """Yield the session start times from the month before `today` to `months` months ahead."""
    year, month = today.year, today.month - 1
    if month == 0:
        year, month = year - 1, 12
    for _ in range(months + 2):
        day = nth_weekday(year, month, spec["weekday"], spec["week"])
        yield timezone.make_aware(datetime.combine(day, time(spec["hour"], 0)))
        month += 1
        if month == 13:
            year, month = year + 1, 1


@transaction.atomic
def seed_demo(today=None):
    """Create or complete the demo data; return a short report of what was created."""
    today = today or timezone.localdate()
    created = {"sessions": 0, "cases": 0}
    groups = {}
    for code, spec in GROUPS.items():
        county = County.objects.get(code=code)
        group, _ = ConsultationGroup.objects.get_or_create(
            county=county, slug="haastavat-erot",
            defaults={"name": spec["name"], "default_place": spec["place"], "slots_per_session": 4,
                      "public_description": "Monialainen asiantuntijaryhmä, joka tukee ammattilaisia lasten ja "
                                            "perheiden auttamisessa vaativissa erotilanteissa. Ryhmä kokoontuu "
                                            "kerran kuukaudessa kaksi tuntia."})
        groups[code] = group
        # Workers of the county's own domain may register themselves (the demo workers' domain: KS).
        for domain in [DOMAIN[code]] + ([DOMAIN[None]] if code == "KS" else []):
            AllowedEmailDomain.objects.get_or_create(county=county, domain=domain)
        for starts_at in monthly_starts(spec, today, 12):
            _, new = Session.objects.get_or_create(group=group, starts_at=starts_at, defaults={
                "duration_minutes": 120, "capacity": group.slots_per_session, "place": spec["place"]})
            created["sessions"] += new
    members = {}
    for local, first, last, role, organisation, code in MEMBERS:
        user = _user(demo_email(local, code), first, last, organisation=groups[code].county.name_fi,
                     title=organisation.label)
        Membership.objects.get_or_create(group=groups[code], user=user,
                                         defaults={"role": role, "organisation": organisation})
        _demo_totp(user)
        members[local] = user
    for local, first, last, code in COUNTY_ADMINS:
        user = _user(demo_email(local, code), first, last, title="Pääkäyttäjä")
        CountyAdmin.objects.get_or_create(county=groups[code].county, user=user)
        _demo_totp(user)
    workers = {}
    for local, first, last, sector, unit in WORKERS:
        workers[local] = _user(demo_email(local), first, last, sector=sector, unit=unit, title=unit,
                               organisation="Keski-Suomen hyvinvointialue")
    superuser = _user(demo_email(SUPERUSER[0]), SUPERUSER[1], SUPERUSER[2], is_superuser=True, is_staff=True)
    _demo_totp(superuser)
    if not Case.objects.filter(worker__in=workers.values()).exists():
        created["cases"] = _seed_cases(groups["KS"], workers, members)
        created["cases"] += _seed_history(groups["KS"], GROUPS["KS"], workers, today)
    return created


def _background(case, question, children, anonymous, guardians):
    background, _ = BackgroundInformation.objects.get_or_create(case=case)
    background.question = question
    background.family_situation = ("Vanhemmat erosivat kaksi vuotta sitten. Lapset asuvat vuoroviikoin, ja "
                                   "vanhempien välinen riita tapaamisista on kiristynyt.")
    background.custody = "joint"
    background.residence = "alternating"
    background.visitation_dispute = True
    background.court_proceedings = "pending"
    background.concern_violence = True
    background.concern_trauma = True
    background.concerns_text = "Lapsi kertoo pelkäävänsä vaihtoja. Toinen vanhempi on uhannut väkivallalla."
    background.services_involved = "Lastensuojelun avohuolto, perheneuvola"
    background.guardians_views = "Molemmat huoltajat ovat huolissaan lapsen jaksamisesta."
    background.tried_so_far = "Sovittelu käräjäoikeudessa, tapaamisten valvonta."
    background.save()
    for age, name in children:
        Child.objects.create(background=background, age_years=age, name="" if anonymous else name)
    for guardian, handling in guardians:
        Consent.objects.create(case=case, guardian_name=guardian, handling=handling,
                               records=ConsentAnswer.GIVEN if handling == ConsentAnswer.GIVEN else ConsentAnswer.REFUSED,
                               given_on=timezone.localdate(), method=ConsentMethod.SIGNED_FORM)
    case.is_anonymous = anonymous
    case.save(update_fields=["is_anonymous"])


def _seed_cases(group, workers, members):
    """Cases of the Keski-Suomi group: handled (past session), on a published agenda, submitted,
    draft and returned."""
    now = timezone.now()
    sessions = list(group.sessions.order_by("starts_at"))
    past = [s for s in sessions if s.starts_at < now]
    upcoming = [s for s in sessions if s.starts_at > now]
    social, health, school = workers["tyontekija.sosiaali"], workers["tyontekija.terveys"], workers["tyontekija.koulu"]
    named = [("Huoltaja A", ConsentAnswer.GIVEN), ("Huoltaja B", ConsentAnswer.GIVEN)]
    refused = [("Huoltaja C", ConsentAnswer.GIVEN), ("Huoltaja D", ConsentAnswer.REFUSED)]
    count = 0

    if past:  # handled in last month's session, recommendations signed off
        session = past[-1]
        case = Case.objects.create(group=group, session=session, worker=social, sector=social.sector,
                                   worker_unit=social.unit, state=CaseState.SCHEDULED,
                                   created_at=session.starts_at - timedelta(days=20),
                                   submitted_at=session.starts_at - timedelta(days=14),
                                   scheduled_at=session.starts_at - timedelta(days=10), agenda_position=1)
        _background(case, "Miten tukea lasta vaihtotilanteissa, kun toinen vanhempi on uhannut väkivallalla?",
                    [(9, "Demo-lapsi")], False, named)
        for position, (category, text) in enumerate([
                (RecommendationCategory.ASSESSMENT, "Lapsen tilanteen arvio lastenpsykiatrialla."),
                (RecommendationCategory.SERVICE_REFERRAL, "Valvotut vaihdot perheoikeudellisen yksikön kautta.")], 1):
            Recommendation.objects.create(case=case, category=category, text=text, position=position,
                                          recorded_by=members["koordinaattori.ks"])
        case.state = CaseState.HANDLED
        case.handled_at = session.ends_at
        case.recommendations_signed_off_at = session.ends_at + timedelta(hours=1)
        case.recommendations_signed_off_by = members["puheenjohtaja.ks"]
        case.save()
        session.agenda_published_at = session.starts_at - timedelta(days=7)
        session.save(update_fields=["agenda_published_at"])
        count += 1

    if upcoming:
        first = upcoming[0]
        scheduled = Case.objects.create(group=group, session=first, worker=health, sector=health.sector,
                                        worker_unit=health.unit, state=CaseState.SUBMITTED,
                                        submitted_at=now - timedelta(days=3))
        _background(scheduled, "Onko lapsen oireilu yhteydessä tapaamisiin, ja mihin tutkimuksiin ohjata?",
                    [(6, ""), (11, "")], True, refused)
        scheduled.state = CaseState.SCHEDULED
        scheduled.scheduled_at = now - timedelta(days=1)
        scheduled.agenda_position = 1
        scheduled.save()
        first.agenda_published_at = now
        first.save(update_fields=["agenda_published_at"])
        for local in ("puheenjohtaja.ks", "asiantuntija.poliisi.ks", "asiantuntija.perheoikeus.ks"):
            CaseDeclaration.objects.get_or_create(case=scheduled, user=members[local],
                                                  defaults={"decision": CaseDeclaration.Decision.NO_CONFLICT})
        submitted = Case.objects.create(group=group, session=first, worker=school, sector=school.sector,
                                        worker_unit=school.unit, state=CaseState.SUBMITTED, submitted_at=now)
        _background(submitted, "Miten koulu voi tukea oppilasta, jonka vanhemmat riitelevät huoltajuudesta?",
                    [(13, "")], True, refused)
        count += 2
    if len(upcoming) > 1:
        draft = Case.objects.create(group=group, session=upcoming[1], worker=social, sector=social.sector,
                                    worker_unit=social.unit)
        BackgroundInformation.objects.create(case=draft, question="Luonnos: kysymys ryhmälle on vielä kesken.")
        returned = Case.objects.create(group=group, session=upcoming[1], worker=health, sector=health.sector,
                                       worker_unit=health.unit, state=CaseState.SUBMITTED,
                                       submitted_at=now - timedelta(days=2))
        _background(returned, "Mitä tehdä, kun lapsi kieltäytyy tapaamisista?", [(8, "")], True, refused)
        returned.state = CaseState.RETURNED
        returned.returned_at = now - timedelta(days=1)
        returned.save()
        returned.background.return_reason = "Tarkenna kysymystä: mitä jo kokeiltuja tukitoimia on ollut?"
        returned.background.save()
        count += 2
    return count


HISTORY_MONTHS = range(2, 8)  # the sessions two to seven months back
HISTORY_CATEGORIES = [RecommendationCategory.ASSESSMENT, RecommendationCategory.SERVICE_REFERRAL,
                      RecommendationCategory.CHILD_WELFARE_NOTIFICATION, RecommendationCategory.FURTHER_CONSULTATION]


def _seed_history(group, spec, workers, today):
    """Closed cases of past months whose background information and recommendation texts have
    already been destroyed: skeletons, recommendation categories and feedback scores, which is
    what the statistics are made of."""
    order = [workers["tyontekija.sosiaali"], workers["tyontekija.terveys"], workers["tyontekija.koulu"],
             workers["tyontekija.sosiaali"]]
    count = 0
    for back in HISTORY_MONTHS:
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        day = nth_weekday(year, month + 1, spec["weekday"], spec["week"])
        starts_at = timezone.make_aware(datetime.combine(day, time(spec["hour"], 0)))
        session, _ = Session.objects.get_or_create(group=group, starts_at=starts_at, defaults={
            "capacity": group.slots_per_session, "place": spec["place"], "agenda_published_at": starts_at})
        for i, worker in enumerate(order[:3 + back % 2]):
            handled = session.ends_at
            acknowledged = handled + timedelta(days=3)
            case = Case.objects.create(
                group=group, session=session, worker=worker, sector=worker.sector, worker_unit=worker.unit,
                state=CaseState.CLOSED, is_anonymous=(i + back) % 3 != 0, agenda_position=i + 1,
                created_at=starts_at - timedelta(days=12 + 4 * i + back), submitted_at=starts_at - timedelta(days=10),
                scheduled_at=starts_at - timedelta(days=8), handled_at=handled,
                recommendations_signed_off_at=handled + timedelta(hours=2), recommendations_acknowledged_at=acknowledged,
                closed_at=acknowledged, content_destroyed_at=handled + timedelta(days=1),
                recommendations_destroyed_at=acknowledged + timedelta(days=7))
            categories = [HISTORY_CATEGORIES[(i + back + n) % 4] for n in range(1 + i % 2)]
            Recommendation.objects.bulk_create([Recommendation(case=case, category=category, text="", position=n)
                                                for n, category in enumerate(categories, 1)])
            Feedback.objects.create(case=case, usefulness=3 + (i + back) % 3)
            count += 1
    return count
