"""Writes on diagnostics: start, answer step by step, complete, claim, share, attach, retake.

A diagnostic belongs to a signed-in user, or to an anonymous visitor through a random key
kept in their session (`anonymous_key`); signing in claims the session's diagnostics. The
result is computed once, on completion, with the version the diagnostic was started on, and
stored with it (`outcome`), so a later version of the instrument never changes it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.diagnostic.exceptions import DiagnosticError
from alliances.diagnostic.models import (
    Diagnostic,
    DiagnosticStatus,
    Instrument,
    InstrumentVersion,
    RespondentKind,
)
from alliances.diagnostic.scoring import (
    AnswerProblem,
    AnswersError,
    answers_check,
    outcome_as_data,
    outcome_compute,
)
from alliances.organizations.models import Membership, Organization
from alliances.territories.models import Region

if TYPE_CHECKING:
    from alliances.accounts.models import User
    from alliances.diagnostic.instrument import Instrument as InstrumentDefinition
    from alliances.diagnostic.instrument import Section


class DiagnosticAnswersError(DiagnosticError):
    """Answers refused; `problems` name each question (its id) and what is wrong."""

    def __init__(self, message: str, *, problems: Sequence[AnswerProblem]) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


def anonymous_key_new() -> str:
    """The secret that makes a browser session the owner of its anonymous diagnostics."""
    return secrets.token_urlsafe(32)


def diagnostic_steps(diagnostic: Diagnostic) -> tuple[Section, ...]:
    """The sections this respondent is shown, in order (those with a question for them)."""
    return steps_for(diagnostic.version.definition, diagnostic.kind)


def steps_for(definition: InstrumentDefinition, kind: str) -> tuple[Section, ...]:
    return tuple(section for section in definition.sections if section.questions_for(kind))


def _question_text(definition: InstrumentDefinition, question_id: str) -> str:
    question = definition.question(question_id)
    return str(question.text) if question is not None else question_id


def answer_problems_text(
    definition: InstrumentDefinition, problems: Sequence[AnswerProblem]
) -> str:
    """« Répondez à la question « … » » for each problem, naming the question."""
    texts = []
    for problem in problems:
        question = _question_text(definition, problem.question)
        if problem.code == "missing":
            texts.append(_("the question “%(question)s” needs an answer") % {"question": question})
        else:
            texts.append(
                _("the answer to “%(question)s” is not valid (%(code)s)")
                % {"question": question, "code": problem.code}
            )
    return "; ".join(texts)


def _organization_check(*, user: User | None, organization: Organization | None, kind: str) -> None:
    if organization is None:
        return
    if user is None or not Membership.objects.filter(organization=organization, user=user).exists():
        raise DiagnosticError(
            _("You are not a member of %(organization)s.") % {"organization": organization.name},
            field="organization",
        )
    if organization.kind != kind:
        raise DiagnosticError(
            _(
                "%(organization)s is not of the respondent kind of this diagnostic: "
                "choose an organisation of the same kind."
            )
            % {"organization": organization.name},
            field="organization",
        )


def diagnostic_start(
    *,
    version: InstrumentVersion,
    kind: str,
    user: User | None = None,
    anonymous_key: str = "",
    organization: Organization | None = None,
) -> Diagnostic:
    """A new, empty diagnostic of `version`, owned by `user` or else by `anonymous_key`."""
    definition = version.definition
    if kind not in definition.kinds:
        raise DiagnosticError(
            _("This diagnostic is not meant for the respondent kind “%(kind)s”.") % {"kind": kind},
            field="kind",
        )
    if user is None and not anonymous_key:
        raise DiagnosticError(_("A diagnostic needs an owner: sign in or accept the session."))
    _organization_check(user=user, organization=organization, kind=kind)
    diagnostic = Diagnostic(
        version=version,
        user=user,
        anonymous_key="" if user is not None else anonymous_key,
        kind=kind,
        organization=organization,
        region=organization.region if organization is not None else None,
    )
    diagnostic.full_clean()
    diagnostic.save()
    return diagnostic


def _in_progress(diagnostic: Diagnostic) -> None:
    if diagnostic.status != DiagnosticStatus.IN_PROGRESS:
        raise DiagnosticError(_("This diagnostic is completed: its answers can no longer change."))


def diagnostic_answer(
    *,
    diagnostic: Diagnostic,
    step: int,
    answers: Mapping[str, Any],
    advance: bool = True,
) -> Diagnostic:
    """Store the answers of step `step` (0-based); with `advance`, its required ones too.

    Answers given for the step replace the step's previous answers (a blank one removes
    it). With `advance`, every required question of the step must be answered and the
    diagnostic resumes at the next step; without it (going back), what is given is kept.
    """
    _in_progress(diagnostic)
    definition = diagnostic.version.definition
    steps = diagnostic_steps(diagnostic)
    if not 0 <= step < len(steps):
        raise DiagnosticError(_("This diagnostic has no step %(step)s.") % {"step": step + 1})
    questions = steps[step].questions_for(diagnostic.kind)
    ids = {question.id for question in questions}
    stray = sorted(set(answers) - ids)
    given = {key: value for key, value in answers.items() if value not in (None, "", [], ())}
    problems = [
        AnswerProblem(question=question_id, code="unknown_question") for question_id in stray
    ]
    problems += answers_check(
        definition,
        kind=diagnostic.kind,
        answers={k: given[k] for k in given if k in ids},
        complete=False,
    )
    if advance:
        problems += [
            AnswerProblem(question=question.id, code="missing")
            for question in questions
            if question.required and question.id not in given
        ]
    if problems:
        raise DiagnosticAnswersError(
            _("Some answers cannot be saved: %(problems)s.")
            % {"problems": answer_problems_text(definition, problems)},
            problems=problems,
        )
    stored = {key: value for key, value in diagnostic.answers.items() if key not in ids}
    stored.update(
        {key: list(value) if isinstance(value, tuple) else value for key, value in given.items()}
    )
    diagnostic.answers = stored
    if advance:
        diagnostic.section = max(diagnostic.section, min(step + 1, len(steps) - 1))
    diagnostic.full_clean()
    diagnostic.save(update_fields=["answers", "section", "updated_at"])
    return diagnostic


def _region_for(diagnostic: Diagnostic) -> Region | None:
    definition = diagnostic.version.definition
    for question in definition.questions_for(diagnostic.kind):
        if question.type == "region" and isinstance(diagnostic.answers.get(question.id), str):
            region = Region.objects.filter(insee_code=diagnostic.answers[question.id]).first()
            if region is not None:
                return region
    if diagnostic.organization is not None:
        return diagnostic.organization.region
    return None


def diagnostic_complete(*, diagnostic: Diagnostic, now: datetime | None = None) -> Diagnostic:
    """Compute and store the result; refused while a required question is unanswered."""
    _in_progress(diagnostic)
    definition = diagnostic.version.definition
    try:
        outcome = outcome_compute(definition, kind=diagnostic.kind, answers=diagnostic.answers)
    except AnswersError as error:
        raise DiagnosticAnswersError(
            _("The diagnostic cannot be completed yet: %(problems)s.")
            % {"problems": answer_problems_text(definition, error.problems)},
            problems=error.problems,
        ) from error
    profile = definition.profile(outcome.profile)
    diagnostic.outcome = outcome_as_data(outcome)
    diagnostic.profile = outcome.profile
    diagnostic.partnership_type = (profile.partnership_type or "") if profile else ""
    diagnostic.region = _region_for(diagnostic)
    diagnostic.status = DiagnosticStatus.COMPLETED
    diagnostic.completed_at = now or timezone.now()
    diagnostic.full_clean()
    diagnostic.save()
    return diagnostic


@transaction.atomic
def diagnostic_claim(*, user: User, anonymous_key: str) -> int:
    """Give `user` the diagnostics the session holding `anonymous_key` took; how many."""
    if not anonymous_key:
        return 0
    return Diagnostic.objects.filter(user__isnull=True, anonymous_key=anonymous_key).update(
        user=user, anonymous_key="", updated_at=timezone.now()
    )


def diagnostic_retake(*, diagnostic: Diagnostic, user: User) -> Diagnostic:
    """A new diagnostic of the instrument's current version, same respondent and organisation."""
    if diagnostic.user_id != user.pk:
        raise DiagnosticError(_("Only the owner of a diagnostic can take it again."))
    instrument = diagnostic.version.instrument
    version = instrument.versions.filter(is_current=True).first()
    if version is None or not instrument.is_active:
        raise DiagnosticError(_("This diagnostic is no longer offered."))
    organization = diagnostic.organization
    if (
        organization is not None
        and not Membership.objects.filter(organization=organization, user=user).exists()
    ):
        organization = None
    kind = (
        diagnostic.kind
        if diagnostic.kind in version.definition.kinds
        else version.definition.kinds[0]
    )
    return diagnostic_start(version=version, kind=kind, user=user, organization=organization)


def diagnostic_share(*, diagnostic: Diagnostic, now: datetime | None = None) -> Diagnostic:
    """Give a completed diagnostic a read-only link (kept if it already has one)."""
    if not diagnostic.is_completed:
        raise DiagnosticError(_("Only a completed diagnostic can be shared."))
    if diagnostic.share_token:
        return diagnostic
    diagnostic.share_token = secrets.token_urlsafe(32)
    diagnostic.shared_at = now or timezone.now()
    diagnostic.full_clean()
    diagnostic.save(update_fields=["share_token", "shared_at", "updated_at"])
    return diagnostic


def diagnostic_unshare(*, diagnostic: Diagnostic) -> Diagnostic:
    """Revoke the read-only link: the old address then answers « page not found »."""
    diagnostic.share_token = None
    diagnostic.shared_at = None
    diagnostic.save(update_fields=["share_token", "shared_at", "updated_at"])
    return diagnostic


def diagnostic_attach(
    *, diagnostic: Diagnostic, user: User, organization: Organization | None
) -> Diagnostic:
    """Attach the diagnostic to one of `user`'s organisations of its kind (None: detach)."""
    if diagnostic.user_id != user.pk:
        raise DiagnosticError(_("Only the owner of a diagnostic can attach it."))
    _organization_check(user=user, organization=organization, kind=diagnostic.kind)
    diagnostic.organization = organization
    fields = ["organization", "updated_at"]
    if diagnostic.is_completed:
        diagnostic.region = _region_for(diagnostic)
        fields.append("region")
    diagnostic.full_clean()
    diagnostic.save(update_fields=fields)
    return diagnostic


def diagnostic_delete(*, diagnostic: Diagnostic) -> None:
    """Delete a diagnostic; partnerships built from it keep existing without it."""
    diagnostic.delete()


def instrument_activate(*, instrument: Instrument, active: bool) -> Instrument:
    """Offer an instrument on the diagnostics page, or stop offering it."""
    instrument.is_active = active
    instrument.full_clean()
    instrument.save(update_fields=["is_active"])
    return instrument


@dataclass(frozen=True, kw_only=True)
class SimulatedResult:
    """One simulated respondent for the demo aggregates."""

    kind: str
    answers: Mapping[str, Any]
    region: Region
    completed_at: datetime


@transaction.atomic
def diagnostics_simulated_create(
    *, version: InstrumentVersion, results: Sequence[SimulatedResult]
) -> list[Diagnostic]:
    """Store simulated, anonymous, completed diagnostics scored by the real engine."""
    definition = version.definition
    diagnostics = []
    for result in results:
        if result.kind not in RespondentKind.values:
            raise DiagnosticError(_("Unknown respondent kind “%(kind)s”.") % {"kind": result.kind})
        outcome = outcome_compute(definition, kind=result.kind, answers=result.answers)
        profile = definition.profile(outcome.profile)
        diagnostic = Diagnostic(
            version=version,
            anonymous_key=secrets.token_urlsafe(32),
            kind=result.kind,
            region=result.region,
            answers=dict(result.answers),
            section=len(steps_for(definition, result.kind)) - 1,
            status=DiagnosticStatus.COMPLETED,
            outcome=outcome_as_data(outcome),
            profile=outcome.profile,
            partnership_type=(profile.partnership_type or "") if profile else "",
            is_simulated=True,
            started_at=result.completed_at,
            completed_at=result.completed_at,
        )
        diagnostics.append(diagnostic)
    return Diagnostic.objects.bulk_create(diagnostics, batch_size=300)
