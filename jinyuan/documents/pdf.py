"""PDF rendering with WeasyPrint. Nothing is fetched from the network: the URL fetcher reads
only our own static files, and the QR code is inline SVG."""

import base64
from io import BytesIO
from pathlib import Path
from typing import Any

import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class BlockedFetch(ValueError):
    pass


def static_only_fetcher(url: str, *args: Any, **kwargs: Any) -> dict:
    prefix = "static:"
    if url.startswith("data:") and ";base64," in url:
        # Inline data (a badge's photo) is decoded here, never fetched.
        from weasyprint.urls import URLFetcherResponse

        header, payload = url[len("data:") :].split(";base64,", 1)
        return URLFetcherResponse(
            url, body=base64.b64decode(payload), headers={"Content-Type": header or "application/octet-stream"}
        )
    if url.startswith(prefix):
        found = finders.find(url[len(prefix) :])
        if found:
            path = Path(found)
            return {"string": path.read_bytes(), "filename": path.name}
    raise BlockedFetch(f"blocked fetch of {url!r}")


def qr_svg(data: str, scale: int = 3) -> str:
    """An inline SVG QR code; error level M survives a crease or a stamp on paper. A larger
    ``scale`` for a code shown on a phone's screen to a guard's phone."""
    # segno's output is generated SVG markup with no user text in it.
    return mark_safe(segno.make(data, error="m", micro=False).svg_inline(scale=scale, border=2, omitsize=False))  # noqa: S308


def qr_img(data: str, scale: int = 2) -> str:
    """The same QR code as a small 1-bit PNG in an ``<img>`` (data URI), for PDFs that print
    many: WeasyPrint parses and draws an inline SVG's path in Python (~4 ms a code), a PNG it
    embeds nearly as it is (50 badges: ~200 ms less). Give the image its printed size and
    ``image-rendering: pixelated`` in CSS: the PDF then asks viewers and printers not to
    interpolate, so the modules stay sharp; two pixels a module keep it sharp enough where one
    interpolates anyway."""
    out = BytesIO()
    segno.make(data, error="m", micro=False).save(out, kind="png", scale=scale, border=2)
    uri = base64.b64encode(out.getvalue()).decode("ascii")
    return format_html('<img class="qr-code" src="data:image/png;base64,{}" alt="QR">', uri)


def render_pdf(template: str, context: dict) -> bytes:
    return render_pdf_pages(template, context)[0]


def render_pdf_pages(template: str, context: dict) -> tuple[bytes, int]:
    """The PDF and its number of pages (a batch says how many sheets it prints)."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    document = HTML(string=html, base_url="static:", url_fetcher=static_only_fetcher).render()
    return document.write_pdf(), len(document.pages)
