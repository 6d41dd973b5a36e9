"""Teacher and students: the passcode, its delay when wrong, the printed teacher link, the LAN address and its QR."""

from __future__ import annotations

import time

import numpy as np
import pytest

from cnn import lan, roles


def test_the_passcode_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(roles.PASSCODE_ENV, " lesson-42 ")
    assert roles.passcode() == "lesson-42"
    assert roles.passcode("from-secrets") == "from-secrets"


def test_without_one_a_random_passcode_is_made_once_and_printed_with_a_teacher_link(monkeypatch, capsys):
    monkeypatch.delenv(roles.PASSCODE_ENV, raising=False)
    monkeypatch.setattr(roles, "_generated", None)
    first = roles.passcode()
    assert len(first) == roles.GENERATED_LENGTH and roles.passcode() == first
    printed = capsys.readouterr().err
    assert printed.count(first) == 2 and f"http://localhost:8501/?teacher={first}" in printed
    monkeypatch.setattr(roles, "_generated", None)
    assert roles.passcode() != first


def test_a_right_passcode_is_accepted_at_once_and_a_wrong_one_after_a_delay():
    started = time.monotonic()
    assert roles.check(" secret ", "secret", delay=0.3)
    assert time.monotonic() - started < 0.2
    started = time.monotonic()
    assert not roles.check("guess", "secret", delay=0.3)
    assert time.monotonic() - started >= 0.3
    assert not roles.check("", "secret", delay=5) and not roles.check(None, "secret", delay=5)


def test_a_student_asking_for_a_teacher_action_is_refused():
    roles.require_teacher(roles.TEACHER, "start training")
    with pytest.raises(roles.NotAllowed, match="Only the teacher can start training"):
        roles.require_teacher(roles.STUDENT, "start training")


def test_the_lan_address_is_one_another_device_can_reach_or_loopback_when_there_is_none():
    address = lan.lan_address()
    assert lan.is_reachable_address(address) or address == "127.0.0.1"
    assert not lan.is_reachable_address("127.0.1.1") and not lan.is_reachable_address("169.254.3.4")
    assert lan.is_reachable_address("192.168.0.17") and not lan.is_reachable_address("not an address")


def test_the_join_address_opens_the_draw_page_in_the_class_language():
    assert (
        lan.join_url("192.168.0.17", 8501, "en", class_code="5-1") == "http://192.168.0.17:8501/draw?lang=en&class=5-1"
    )
    assert lan.join_url("10.0.0.2") == "http://10.0.0.2:8501/draw?lang=ko"


def test_the_qr_code_decodes_to_the_join_address():
    cv2 = pytest.importorskip("cv2")
    url = lan.join_url("192.168.0.17", 8501, "ko")
    png = lan.qr_png(url, scale=6)
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    decoded, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert decoded == url
    assert lan.qr_svg(url).startswith("<svg")
