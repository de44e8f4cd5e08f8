from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliances.accounts import selectors, services
from alliances.accounts.exceptions import AccountError
from alliances.accounts.forms import AccountDeleteForm, ProfileForm, UserRolesForm
from alliances.accounts.personal_data import personal_data_export
from alliances.accounts.roles import Role, user_roles
from alliances.http import attachment

if TYPE_CHECKING:
    from alliances.http import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "roles": user_roles(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def personal_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        archive = personal_data_export(user=request.user)
        stamp = timezone.localdate().isoformat()
        response = HttpResponse(
            json.dumps(archive, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        return attachment(response, f"alliances-mes-donnees-{stamp}.json")
    return render(request, "accounts/personal_data.html")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_account_delete(user=user)
        messages.success(request, _("Your account and your personal data have been deleted."))
        return redirect("portal:home")
    return render(request, "accounts/account_delete.html", {"form": form})


@permission_required("accounts.manage_roles", raise_exception=True)
def role_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.user_list_for_role_management(search=search), 50).get_page(
        request.GET.get("page")
    )
    rows = [(user, user_roles(user)) for user in page.object_list]
    template = "accounts/includes/role_results.html" if request.htmx else "accounts/role_list.html"
    return render(
        request,
        template,
        {"page": page, "rows": rows, "search": search, "all_roles": list(Role)},
    )


@permission_required("accounts.manage_roles", raise_exception=True)
@require_POST
def role_update(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    user = selectors.access_user_for_role_management(actor=request.user, user_id=user_id)
    form = UserRolesForm(request.POST)
    if form.is_valid():
        try:
            services.user_roles_set(
                actor=request.user, user=user, roles={Role(r) for r in form.cleaned_data["roles"]}
            )
        except AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The roles of %(name)s have been saved.") % {"name": user})
    else:
        messages.error(request, _("Unknown role: choose among the roles listed."))
    return redirect("accounts:roles")
