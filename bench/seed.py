"""The benchmarks' data: a group whose workers submit cases, a group whose lists grow from 10 to
10,000 cases, and a session with one free slot for 50 racing workers. Made through the services
where the benchmark measures the services' results, in bulk where only the rows matter."""

import secrets
from datetime import timedelta
from types import SimpleNamespace

from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.haastavat_erot.models import (
    Case,
    CaseState,
    Child,
    Consent,
    ConsentAnswer,
    ConsultationGroup,
    County,
    ExpertOrganisation,
    Membership,
    Role,
    Sector,
    Session,
    User,
)
from apps.haastavat_erot.services import booking

PASSWORD = "Bench-password-2026"
# Names of this run's groups and users, so that a rerun with --keep-db adds new ones.
RUN = secrets.token_hex(3)
REASONING = "Perustyön keinot on käytetty, ja tilanne on edelleen vaikea."


def user(name):
    email = f"{name}.{RUN}@bench.example"
    return User.objects.create_user(email=email, password=PASSWORD, first_name="Bench", last_name=email.split("@")[0],
                                    sector=Sector.SOCIAL, unit="Lapsiperheiden sosiaalityö")


def group_with_coordinator(slug):
    group = ConsultationGroup.objects.create(county=County.objects.get(code="KS"), name=f"Bench {slug} {RUN}", slug=f"{slug}-{RUN}")
    coordinator = user(f"coordinator.{slug}")
    Membership.objects.create(group=group, user=coordinator, role=Role.COORDINATOR,
                              organisation=ExpertOrganisation.FAMILY_SOCIAL_WORK)
    coordinator.refresh_from_db()
    return group, coordinator


def session(group, capacity, days=30):
    return Session.objects.create(group=group, starts_at=timezone.now() + timedelta(days=days), capacity=capacity)


def draft_ready_to_submit(worker, in_session):
    """Book a case and fill in what submission needs, as a worker would before pressing Submit."""
    case = booking.case_book(worker=worker, session=in_session, concern_raised_with_guardians=True,
                             basic_services_tried=True, discussed_before="no", eligibility_reasoning=REASONING)
    background = case.background
    background.question = "Miten tukea lasta vaihtotilanteissa?"
    background.family_situation = "Vanhemmat erosivat vuosi sitten; riita tapaamisista jatkuu."
    background.save()
    Child.objects.create(background=background, age_years=9)
    Consent.objects.create(case=case, handling=ConsentAnswer.REFUSED, records=ConsentAnswer.REFUSED)
    return case


def submitters(cases_per_worker):
    """Workers with draft cases ready to submit: cases_per_worker[i] drafts for worker i."""
    group, _ = group_with_coordinator("submit")
    in_session = session(group, capacity=sum(cases_per_worker) + 1)
    workers = []
    for i, count in enumerate(cases_per_worker):
        worker = user(f"submitter{i:02d}")
        workers.append(SimpleNamespace(user=worker, cases=[draft_ready_to_submit(worker, in_session)
                                                           for _ in range(count)]))
    return workers


def add_cases(group, worker, in_session, count, start):
    """Add `count` submitted cases in bulk (only the rows matter to the lists)."""
    now = timezone.now()
    Case.objects.bulk_create(
        [Case(number=f"B{RUN}-{start + i:05d}", group=group, session=in_session, worker=worker, sector=Sector.SOCIAL,
              state=CaseState.SUBMITTED, submitted_at=now, created_at=now - timedelta(seconds=start + i))
         for i in range(count)], batch_size=1000)


def lists():
    group, coordinator = group_with_coordinator("lists")
    return SimpleNamespace(group=group, coordinator=coordinator, worker=user("lists.worker"),
                           session=session(group, capacity=20000))


def last_slot(racers):
    """A session with one free slot and `racers` workers who will all try to take it."""
    group, _ = group_with_coordinator("race")
    race_session = session(group, capacity=2)
    booking.case_book(worker=user("race.first"), session=race_session, eligibility_reasoning=REASONING)
    return SimpleNamespace(group=group, session=race_session,
                           workers=[user(f"racer{i:02d}") for i in range(racers)])


def session_cookie(account, *, desk=False):
    """Log `account` in without the login form (not what is measured) and return its session id;
    a desk user also gets a verified second factor, as after the TOTP step."""
    client = Client()
    client.force_login(account)
    if desk:
        device = TOTPDevice.objects.create(user=account, name="bench", confirmed=True)
        stored = client.session
        stored["otp_device_id"] = device.persistent_id
        stored.save()
    return client, client.cookies["sessionid"].value
