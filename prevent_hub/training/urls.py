"""Staff pages for training records (under /staff/training/)."""
from .compliance_urls import urlpatterns as compliance_urlpatterns
from .course_urls import urlpatterns as course_urlpatterns
from .import_urls import urlpatterns as import_urlpatterns
from .learner_urls import urlpatterns as learner_urlpatterns

app_name = "training"

urlpatterns = [*compliance_urlpatterns, *learner_urlpatterns, *course_urlpatterns, *import_urlpatterns]
