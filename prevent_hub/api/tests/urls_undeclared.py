"""A URLconf with an API operation that declares nothing (test_openapi)."""

from django.urls import include, path
from ninja import Router

from prevent_hub.api.api import create_api
from prevent_hub.api.urls import api_urls

router = Router()


@router.get("/undeclared", url_name="undeclared")
def undeclared(request):
    return {"reached": True}


patterns, namespace = api_urls(create_api(namespace="undeclared-api", routers={"": router}))
urlpatterns = [path("api/test/", include(patterns, namespace=namespace))]
