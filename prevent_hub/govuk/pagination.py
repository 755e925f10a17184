"""GOV.UK pagination params for a Django page, keeping the current query string."""

from django.core.paginator import Page


def pagination_params(request, page: Page) -> dict | None:
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def href(number):
        query = request.GET.copy()
        query["page"] = number
        return f"?{query.urlencode()}"

    items = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(number), "current": number == page.number})
    params = {"items": items, "landmarkLabel": "Pages of results"}
    if page.has_previous():
        params["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": href(page.next_page_number())}
    return params
