"""Where students can reach this laptop: its address on the room's network, and a QR code of it.

Streamlit listens on every interface; "localhost" means nothing on a student's phone, so the
join panel shows the address the laptop has on the Wi-Fi. No packet leaves the machine:
connecting a UDP socket only asks the kernel which interface would be used.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import urllib.parse

# Any address outside this machine works: the kernel picks the route, nothing is sent.
_PROBE = ("10.255.255.255", 1)
DEFAULT_PORT = 8501


def lan_address() -> str:
    """Return this machine's IPv4 address on the local network, or 127.0.0.1 when it has none."""
    candidates = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(_PROBE)
        candidates.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        candidates.extend(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET))
    for candidate in candidates:
        if is_reachable_address(candidate):
            return candidate
    return "127.0.0.1"


def is_reachable_address(address: str) -> bool:
    """Return whether another device could use this IPv4 address (not loopback, link-local or unspecified)."""
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def join_url(
    host: str, port: int = DEFAULT_PORT, language: str = "ko", page: str = "draw", class_code: str = ""
) -> str:
    """Return the address a student opens: the Draw page, in the class's language and class."""
    query = {"lang": language}
    if class_code:
        query["class"] = class_code
    return f"http://{host}:{port}/{page}?{urllib.parse.urlencode(query)}"


def qr_svg(url: str, scale: int = 8) -> str:
    """Return a QR code of `url` as an SVG document (dark modules on white, a quiet zone around)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=scale, dark="#000000", light="#ffffff", border=4)


def qr_png(url: str, scale: int = 8) -> bytes:
    """Return a QR code of `url` as PNG bytes."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
