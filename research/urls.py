"""Research and search URLs (the research pages themselves are served by Wagtail)."""

app_name = "research"
urlpatterns: list = []
