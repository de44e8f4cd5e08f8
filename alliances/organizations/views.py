from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliances.errors import form_add_error
from alliances.organizations import selectors, services
from alliances.organizations.exceptions import OrganizationError
from alliances.organizations.forms import (
    InvitationForm,
    MembershipRoleForm,
    ModerationForm,
    OrganizationCreateForm,
    OrganizationEditForm,
)
from alliances.organizations.models import MembershipRole

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from alliances.http import AuthenticatedHttpRequest


@login_required
def organization_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = selectors.membership_list_for_user(user=request.user)
    return render(request, "organizations/organization_list.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganizationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(creator=request.user, **form.cleaned_data)
        except OrganizationError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request, _("The profile of %(name)s has been created.") % {"name": organization}
            )
            return redirect(organization)
    return render(request, "organizations/organization_form.html", {"form": form, "creating": True})


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = selectors.access_organization_for_view(user=request.user, slug=slug)
    membership = selectors.organization_membership(organization=organization, user=request.user)
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "membership": membership,
            "is_admin": membership is not None and membership.role == MembershipRole.ADMIN,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = selectors.access_organization_for_admin(user=request.user, slug=slug)
    form = OrganizationEditForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_update(
                organization=organization, **form.cleaned_data
            )
        except OrganizationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect(organization)
    return render(
        request,
        "organizations/organization_form.html",
        {"form": form, "organization": organization, "creating": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization, membership = selectors.access_organization_for_member(
        user=request.user, slug=slug
    )
    is_admin = membership.role == MembershipRole.ADMIN
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    organization=organization,
                    invited_by=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    base_url=request.build_absolute_uri("/"),
                )
            except OrganizationError as error:
                form_add_error(form, error)
            else:
                messages.success(
                    request,
                    _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
                )
                return redirect("organizations:members", slug=organization.slug)
    context: dict[str, Any] = {
        "organization": organization,
        "membership": membership,
        "is_admin": is_admin,
        "members": organization.memberships.select_related("user").order_by("user__full_name"),
        "invitations": organization.invitations.unanswered() if is_admin else [],
        "form": form,
        "role_choices": MembershipRole.choices,
    }
    return render(request, "organizations/member_list.html", context)


@login_required
@require_POST
def member_update(request: AuthenticatedHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    membership = selectors.access_membership_for_admin(
        user=request.user, slug=slug, membership_id=membership_id
    )
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(membership=membership)
            messages.success(
                request, _("%(name)s is no longer a member.") % {"name": membership.user}
            )
        else:
            form = MembershipRoleForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Unknown role: choose administrator or member."))
            else:
                services.membership_role_set(membership=membership, role=form.cleaned_data["role"])
                messages.success(
                    request, _("The role of %(name)s has been saved.") % {"name": membership.user}
                )
    except OrganizationError as error:
        messages.error(request, str(error))
    return redirect("organizations:members", slug=slug)


@login_required
@require_POST
def invitation_revoke(
    request: AuthenticatedHttpRequest, slug: str, invitation_id: int
) -> HttpResponse:
    invitation = selectors.access_invitation_for_admin(
        user=request.user, slug=slug, invitation_id=invitation_id
    )
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email}
    )
    return redirect("organizations:members", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_get_by_token(token=token)
    error = None
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except OrganizationError as exc:
            error = str(exc)
        else:
            messages.success(
                request, _("You have joined %(name)s.") % {"name": invitation.organization}
            )
            return redirect(invitation.organization)
    return render(
        request,
        "organizations/invitation_accept.html",
        {"invitation": invitation, "error": error},
        status=400 if error else 200,
    )


@permission_required("organizations.moderate_organization", raise_exception=True)
@require_http_methods(["GET", "POST"])
def moderation(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ModerationForm(request.POST)
        organization = (
            selectors.organization_list_for_moderation()
            .filter(pk=request.POST.get("organization", "0"))
            .first()
        )
        if organization is None or not form.is_valid():
            messages.error(
                request, _("This profile cannot be moderated: reload the page and try again.")
            )
        else:
            try:
                services.organization_moderate(
                    organization=organization,
                    hidden=form.cleaned_data["action"] == "hide",
                    reason=form.cleaned_data["reason"],
                )
            except OrganizationError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("The moderation of %(name)s has been saved.") % {"name": organization},
                )
        return redirect("organizations:moderation")
    return render(
        request,
        "organizations/moderation.html",
        {"organizations": selectors.organization_list_for_moderation()},
    )
