"""Compare HTML by meaning rather than by layout.

Both sides are parsed with html5lib (as a browser would) and flattened into
tokens: whitespace runs in text collapse to one space and are trimmed at tag
boundaries; attributes are sorted; class lists compare as token lists. So
indentation and attribute order never matter, but every element, attribute,
attribute value and word of text does.
"""

import re

import html5lib

_SPACE = re.compile(r"\s+")


def tokens(markup: str) -> list[tuple]:
    fragment = html5lib.parseFragment(markup, treebuilder="etree", namespaceHTMLElements=False)
    out: list[tuple] = []

    def text(value):
        value = _SPACE.sub(" ", value or "").strip()
        if value:
            out.append(("text", value))

    def walk(element):
        tag = element.tag
        if not isinstance(tag, str):  # comments
            text(element.tail)
            return
        attrs = []
        for name, value in sorted(element.attrib.items()):
            if name == "class":
                value = " ".join(value.split())
            attrs.append((name, value))
        out.append(("start", tag, tuple(attrs)))
        text(element.text)
        for child in element:
            walk(child)
        out.append(("end", tag))
        text(element.tail)

    text(fragment.text)
    for child in fragment:
        walk(child)
    return out


def pretty(markup: str) -> str:
    lines = []
    depth = 0
    for token in tokens(markup):
        if token[0] == "end":
            depth -= 1
            lines.append("  " * depth + f"</{token[1]}>")
        elif token[0] == "start":
            attrs = "".join(f' {name}="{value}"' for name, value in token[2])
            lines.append("  " * depth + f"<{token[1]}{attrs}>")
            depth += 1
        else:
            lines.append("  " * depth + token[1])
    return "\n".join(lines)
