"""Writing SVG: elements as text, every piece of text escaped, every number written the same way.

SVG is XML, so a chart is a string that any browser shows and any XML parser
reads. The same input always gives the same bytes: attributes keep the order
they are given in, numbers are rounded to two decimals, and nothing depends
on the time or the machine. No XML declaration is written, so a chart can be
pasted into an HTML page as it is.
"""

from __future__ import annotations

import base64
import html
import re

FONT_SIZE = 12
# Characters XML 1.0 forbids (control characters other than tab, newline and carriage return):
# a title holding one would make the whole chart unreadable, so it becomes U+FFFD.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """``text`` safe inside an XML element or a quoted attribute: ``& < > " '`` escaped."""
    return html.escape(FORBIDDEN.sub("\ufffd", text), quote=True)


def number(value: float) -> str:
    """A coordinate as text: two decimals at most, no trailing zeros, never ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def attribute_text(value: object) -> str:
    """An attribute's value as text: a float as a coordinate, anything else escaped."""
    if isinstance(value, float):
        return number(value)
    return escape(str(value))


def element(tag: str, attributes: dict[str, object], children: str = "", text: str | None = None) -> str:
    """One element: ``<tag a="1">children or escaped text</tag>``, or ``<tag a="1"/>`` when empty.

    Floats are written with :func:`number`; an attribute whose value is None is left out.
    """
    written = "".join(f' {name}="{attribute_text(value)}"' for name, value in attributes.items() if value is not None)
    inner = escape(text) if text is not None else children
    return f"<{tag}{written}>{inner}</{tag}>" if inner else f"<{tag}{written}/>"


def text_element(
    x: float, y: float, content: str, anchor: str = "start", size: int = FONT_SIZE, **attributes: object
) -> str:
    """A line of text whose ``anchor`` ("start", "middle" or "end") sits at (x, y), the baseline."""
    return element(
        "text", {"x": float(x), "y": float(y), "text-anchor": anchor, "font-size": size, **attributes}, text=content
    )


def text_width(content: str, size: int = FONT_SIZE) -> float:
    """An estimate of the width of ``content`` in pixels (0.6 em a character): SVG has no font metrics to ask."""
    return 0.6 * size * len(content)


def image_element(x: float, y: float, width: float, height: float, png_bytes: bytes, **attributes: object) -> str:
    """A PNG embedded as a data URI, drawn with square pixels (no smoothing) when scaled up."""
    source = "data:image/png;base64," + base64.b64encode(png_bytes).decode("ascii")
    return element(
        "image",
        {
            "x": float(x),
            "y": float(y),
            "width": float(width),
            "height": float(height),
            "href": source,
            "preserveAspectRatio": "none",
            "image-rendering": "optimizeSpeed",
            "style": "image-rendering:pixelated",
            **attributes,
        },
    )


def document(width: float, height: float, body: list[str], title: str = "") -> str:
    """A whole SVG: white background, sans-serif text, ``title`` as its accessible name, then ``body``."""
    header = element("title", {}, text=title) if title else ""
    background = element("rect", {"width": "100%", "height": "100%", "fill": "#ffffff"})
    return (
        element(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "width": float(width),
                "height": float(height),
                "viewBox": f"0 0 {number(width)} {number(height)}",
                "font-family": "sans-serif",
            },
            header + background + "".join(body),
        )
        + "\n"
    )
