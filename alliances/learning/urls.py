"""The learning pillar's pages. Each area's view module declares its own routes."""

from __future__ import annotations

from alliances.learning.views import authoring, forum, learner, records, team

app_name = "learning"

urlpatterns = [
    *learner.urlpatterns,
    *forum.urlpatterns,
    *records.urlpatterns,
    *team.urlpatterns,
    *authoring.urlpatterns,
]
