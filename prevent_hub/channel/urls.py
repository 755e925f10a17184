"""Channel cases. Each part of case management keeps its views and URL
patterns in its own module under views/."""

from .views import assessments, cases, consent, reviews, support, trays

app_name = "channel"
urlpatterns = [
    *cases.urlpatterns,
    *consent.urlpatterns,
    *support.urlpatterns,
    *assessments.urlpatterns,
    *reviews.urlpatterns,
    *trays.urlpatterns,
]
