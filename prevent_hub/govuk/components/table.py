from .base import classes, truthy
from .nunjucks import html_or_text, printed


def _cell(cell, base_class, formatted=True):
    modifier = (
        f"{base_class}--{printed(cell['format'])}"
        if formatted and truthy(cell.get("format")) else ""
    )
    return {
        "classes": classes(base_class, modifier, cell.get("classes")),
        "colspan": printed(cell["colspan"]) if truthy(cell.get("colspan")) else None,
        "rowspan": printed(cell["rowspan"]) if truthy(cell.get("rowspan")) else None,
        "attributes": cell.get("attributes"),
        "content": html_or_text(cell),
    }


def _row(row, first_cell_is_header):
    cells = []
    for index, cell in enumerate(row):
        if index == 0 and first_cell_is_header:
            cells.append({**_cell(cell, "govuk-table__header", formatted=False), "row_header": True})
        else:
            cells.append(_cell(cell, "govuk-table__cell"))
    return cells


def context(params):
    head = params.get("head")
    first_cell_is_header = truthy(params.get("firstCellIsHeader"))
    return {
        "params": params,
        "caption": printed(params["caption"]) if truthy(params.get("caption")) else None,
        "head": [_cell(item, "govuk-table__header") for item in head]
        if truthy(head) else None,
        "rows": [_row(row, first_cell_is_header)
                 for row in params.get("rows") or [] if truthy(row)],
    }
