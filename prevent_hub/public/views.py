from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView


@method_decorator(login_not_required, name="dispatch")
class PublicPage(TemplateView):
    """A page of public information. Content lives in the template; contact
    details come from the contact directory."""
