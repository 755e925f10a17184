"""Loading the area's population figures (system administrators,
access.Action.POPULATION_MANAGE): the sets loaded, each set's figures, an
example file, and the upload.

Loading is two steps: upload and check, then load. The check shows every
figure the file gives, the categories it gives none for ("no population
figure" on the equality page), and whether it replaces a year already
loaded; the figures shown travel to the "Load" button signed
(population_forms.signed_figures), so exactly what was seen is loaded, in
one transaction that replaces the year's set whole, with its audit event.
The file itself is never stored: it is small, and nothing is kept from an
upload that is not loaded.

Population figures are counts of the whole area from published tables: no
page here shows personal data."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prevent_hub.access import Action, requires
from prevent_hub.audit.shows import shows_nothing_personal
from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_datetime
from prevent_hub.govuk.forms import add_service_errors

from . import population_services as services
from .models import PopulationDimension
from .population_forms import PopulationConfirmForm, PopulationUploadForm, signed_figures

NOTHING_PERSONAL = ("the area's population figures from published tables, and which administrator loaded "
                    "each set")


def _crumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")},
             {"text": "Equality monitoring", "href": reverse("statistics:equality")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _loaded_by(population_set) -> str:
    return population_set.loaded_by.full_name if population_set.loaded_by else "manage.py load_population"


@requires(Action.POPULATION_MANAGE)
@require_GET
@shows_nothing_personal(NOTHING_PERSONAL)
def population_list(request):
    sets = list(services.population_sets())
    table = {"caption": "Population figures loaded", "captionClasses": "govuk-table__caption--m",
             "firstCellIsHeader": True,
             "head": [{"text": "Year"}, {"text": "Source"}, {"text": "Loaded by"}, {"text": "Loaded"},
                      {"text": "Figures", "format": "numeric"}],
             "rows": [[{"html": _link(reverse("statistics:population-set", args=[each.year]),
                                      str(each.year))},
                       {"text": each.source}, {"text": _loaded_by(each)},
                       {"text": govuk_datetime(each.loaded_at)},
                       {"text": str(each.figure_count), "format": "numeric"}] for each in sets]}
    return render(request, "statistics/population_list.html", {
        "sets": sets, "table": table, "load_href": reverse("statistics:population-load"),
        "breadcrumbs": _crumbs()})


def _link(href, text):
    from django.utils.html import format_html

    return format_html('<a class="govuk-link" href="{}">{}</a>', href, text)


def _figure_rows(figures: dict[tuple[str, str], int], known: dict) -> list[dict]:
    """One table per dimension: each category with its figure or "No
    population figure", in the reporting categories' order."""
    tables = []
    for dimension, rows in known.items():
        title = PopulationDimension(dimension).label
        tables.append({
            "key": dimension,
            "caption": title, "captionClasses": "govuk-table__caption--s", "firstCellIsHeader": True,
            "head": [{"text": "Category"}, {"text": "Code"}, {"text": "Population", "format": "numeric"}],
            "rows": [[{"text": label}, {"text": code},
                      {"text": f"{figures[dimension, code]:,}" if (dimension, code) in figures
                       else "No population figure", "format": "numeric"}] for code, label in rows]})
    return tables


@requires(Action.POPULATION_MANAGE)
@require_GET
@shows_nothing_personal(NOTHING_PERSONAL)
def population_set(request, year: int):
    found = services.population_set_for(year=year)
    if found is None:
        raise Http404("No population figures for that year")
    figures = {(each.dimension, each.code): each.population for each in found.figures.all()}
    return render(request, "statistics/population_set.html", {
        "found": found, "summary_rows": [
            {"key": {"text": "Source"}, "value": {"text": found.source}},
            {"key": {"text": "Loaded by"}, "value": {"text": _loaded_by(found)}},
            {"key": {"text": "Loaded"}, "value": {"text": govuk_datetime(found.loaded_at)}}],
        "tables": _figure_rows(figures, services.codes()),
        "breadcrumbs": _crumbs(("Population figures", reverse("statistics:population")))})


@requires(Action.POPULATION_MANAGE)
@require_GET
@shows_nothing_personal("an example file of made-up figures for a fictional county")
def population_example(request):
    return csv_response(services.COLUMNS, ((dimension, code, population) for (dimension, code), population
                                          in services.EXAMPLE_FIGURES.items()),
                        filename="population-example.csv")


class PopulationSizeLimit(FileUploadHandler):
    """Stops reading a file once it is over the limit, so a huge upload is
    never written to disk whole; the page says it is too large."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > services.MAX_BYTES:
            self.request.upload_too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def _problems_text(problems) -> list[str]:
    return [(f"Line {line}: " if line else "") + reason for line, reason in problems]


def _upload_page(request, form, *, problems=(), status=200):
    return render(request, "statistics/population_load.html", {
        "form": form, "problems": _problems_text(problems), "columns": services.COLUMNS,
        "codes": services.codes(), "breadcrumbs": _crumbs(("Population figures",
                                                           reverse("statistics:population")))},
                  status=status)


def _check_page(request, *, year, source, figures, confirm_form=None, status=200):
    known = services.codes()
    missing = [f"{PopulationDimension(dimension).label}: {label}" for dimension, rows in known.items()
               for code, label in rows if (dimension, code) not in figures]
    existing = services.population_set_for(year=year)
    confirm_form = confirm_form or PopulationConfirmForm(
        initial={"checked": signed_figures(year=year, source=source, figures=figures)})
    return render(request, "statistics/population_check.html", {
        "form": confirm_form, "year": year, "source": source, "count": len(figures), "missing": missing,
        "replaces": (f"These figures will replace the figures for {year} loaded by {_loaded_by(existing)} "
                     f"on {govuk_datetime(existing.loaded_at)} ({existing.source})." if existing else ""),
        "tables": _figure_rows(figures, known),
        "breadcrumbs": _crumbs(("Population figures", reverse("statistics:population")))}, status=status)


def _load_page_body(request):
    if request.method != "POST":
        return _upload_page(request, PopulationUploadForm())
    form = PopulationUploadForm(request.POST, request.FILES)
    valid = form.is_valid()
    if getattr(request, "upload_too_large", False):
        form.errors.pop("file", None)
        form.add_error("file", f"The selected file must be smaller than {services.MAX_BYTES // 1024} KB")
        valid = False
    if not valid:
        return _upload_page(request, form)
    checked = services.population_file_read(form.cleaned_data["file"].read())
    if checked.problems:
        count = len(checked.problems)
        form.add_error("file", "The file has a problem: see the list below" if count == 1 else
                       f"The file has {count} problems: see the list below")
        return _upload_page(request, form, problems=checked.problems)
    return _check_page(request, year=form.cleaned_data["year"], source=" ".join(form.cleaned_data["source"]
                                                                             .split()),
                       figures=checked.figures)


# The size limit has to be in place before anything reads the request body,
# as CSRF checking does: so CSRF is checked after it (as on the training import).
_load_page = csrf_protect(_load_page_body)


@requires(Action.POPULATION_MANAGE)
@shows_nothing_personal(NOTHING_PERSONAL)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def population_load(request):
    """Upload a file and check it (nothing is loaded until the next step)."""
    if request.method == "POST":
        request.upload_handlers.insert(0, PopulationSizeLimit(request))
    return _load_page(request)


def _refused(error: ValidationError, **typed) -> PopulationUploadForm:
    """A blank upload form (what was typed, where known) carrying why the
    load was refused: the file has to be chosen again."""
    upload = PopulationUploadForm(initial=typed)
    upload.cleaned_data = {}
    upload.full_clean()
    upload.cleaned_data = {}
    add_service_errors(upload, error)
    return upload


@requires(Action.POPULATION_MANAGE)
@shows_nothing_personal(NOTHING_PERSONAL)
@require_POST
def population_load_confirm(request):
    form = PopulationConfirmForm(request.POST)
    if not form.is_valid():
        reasons = [error for errors in form.errors.as_data().values() for error in errors]
        return _upload_page(request, _refused(ValidationError(reasons)), status=400)
    checked = form.cleaned_data["checked"]
    try:
        loaded = services.population_set_load(year=checked["year"], source=checked["source"],
                                              figures=checked["figures"], acting_user=request.user)
    except ValidationError as error:
        return _upload_page(request, _refused(error, year=checked["year"], source=checked["source"]),
                            status=400)
    year = loaded.population_set.year
    if not loaded.changed:
        messages.info(request, f"The population figures for {year} were already loaded: nothing changed")
    elif loaded.replaced:
        messages.success(request, f"Population figures for {year} loaded, replacing the ones loaded before")
    else:
        messages.success(request, f"Population figures for {year} loaded")
    return redirect("statistics:population-set", year=year)
