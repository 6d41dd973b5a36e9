"""Test helper: edit the description inside a saved .keras file to make damaged or hostile variants."""

from __future__ import annotations

import io
import json
import zipfile


def rewrite_config(data: bytes, change) -> bytes:
    """Return a copy of a .keras archive whose config.json went through `change` (which returns the new one)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "config.json":
                content = json.dumps(change(json.loads(content))).encode()
            target.writestr(info, content)
    return buffer.getvalue()
