"""Inviting the other side, withdrawing an invitation, and answering one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliances.errors import ApplicationError, form_add_error
from alliances.partnerships import selectors, services
from alliances.partnerships.forms import (
    InvitationAcceptForm,
    InvitationForm,
    PartnerOrganizationForm,
)
from alliances.partnerships.models import Side

if TYPE_CHECKING:
    from alliances.http import AuthenticatedHttpRequest
    from alliances.partnerships.models import Partnership


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    side = selectors.missing_side(partnership)
    if side is None:
        messages.info(request, _("Both partners have already joined."))
        return redirect(partnership)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                partnership=partnership,
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect(partnership)
    return render(
        request,
        "partnerships/invitation_form.html",
        {
            "partnership": partnership,
            "form": form,
            "side": Side(side),
            "invitation_days": settings.ALLIANCES_INVITATION_DAYS,
        },
    )


@login_required
@require_POST
def invitation_revoke(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    invitation = selectors.access_invitation(user=request.user, pk=pk, invitation_pk=invitation_pk)
    if services.invitation_revoke(invitation=invitation, actor=request.user):
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
        )
    return redirect(invitation.partnership)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_get_by_token(token=token)
    partnership = invitation.partnership
    if invitation.email.lower() != request.user.email.lower():
        return render(
            request,
            "partnerships/invitation_accept.html",
            {"invitation": invitation, "wrong_address": True},
            status=403,
        )
    organizations = selectors.organization_list_for_user(user=request.user, kind=invitation.side)
    action = request.POST.get("action") if request.method == "POST" else None
    choose_form = InvitationAcceptForm(
        request.POST if action == "join" else None,
        organizations=organizations,
        initial={"organization": organizations[0].pk} if len(organizations) == 1 else {},
    )
    new_form = PartnerOrganizationForm(
        request.POST if action == "create" else None,
        kind=invitation.side,
        initial={"name": invitation.organization_name, "region": partnership.region_id},
    )
    error = ""
    try:
        if action == "join" and choose_form.is_valid():
            services.invitation_accept(
                invitation=invitation,
                user=request.user,
                organization=choose_form.cleaned_data["organization"],
            )
            return _accepted(request, invitation.partnership)
        if action == "create" and new_form.is_valid():
            services.invitation_accept_with_new_organization(
                invitation=invitation, user=request.user, **new_form.service_fields()
            )
            return _accepted(request, invitation.partnership)
    except ApplicationError as exc:
        target = choose_form if action == "join" else new_form
        if exc.field in target.fields:
            form_add_error(target, exc)
        else:
            error = str(exc)
    invalid = bool(action) and (bool(error) or choose_form.errors or new_form.errors)
    return render(
        request,
        "partnerships/invitation_accept.html",
        {
            "invitation": invitation,
            "partnership": partnership,
            "side": Side(invitation.side),
            "inviting": partnership.association
            if invitation.side == Side.COMPANY
            else partnership.company,
            "organizations": organizations,
            "choose_form": choose_form,
            "new_form": new_form,
            "error": error,
        },
        status=400 if invalid else 200,
    )


def _accepted(request: AuthenticatedHttpRequest, partnership: Partnership) -> HttpResponse:
    partnership.refresh_from_db()
    messages.success(
        request,
        _("You have joined the partnership “%(title)s”.") % {"title": partnership.title},
    )
    return redirect(partnership)
