"""Staff pages for complaints (under /staff/complaints/)."""
from .complaint_urls import urlpatterns as complaint_urlpatterns
from .dashboard_urls import urlpatterns as dashboard_urlpatterns

app_name = "complaints"

urlpatterns = [*dashboard_urlpatterns, *complaint_urlpatterns]
