from alliances.engagement.views import calendar, events, manage, requests

app_name = "debates"
# Fixed paths first: a debate's pages start with its number.
urlpatterns = [
    *calendar.urlpatterns,
    *requests.urlpatterns,
    *manage.urlpatterns,
    *events.urlpatterns,
]
