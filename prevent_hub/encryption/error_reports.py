"""Error reports without values: what was posted, and every frame's local
variables, are hidden whatever their names (Django's default filter hides
only names that look like passwords; a referral's text is not one)."""

from django.views.debug import SafeExceptionReporterFilter


class NoValuesExceptionReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {name: self.cleansed_substitute for name in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
