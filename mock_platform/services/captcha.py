"""Image captcha: the answer lives in the browser session, only the picture is sent."""

from __future__ import annotations

import io
import random
import secrets
import threading
from collections.abc import Sequence
from typing import TypeVar
from unittest import mock

from captcha import image as captcha_image
from captcha.image import ImageCaptcha

# Letters that read alike (0/O, 1/I) are left out so a person can solve it.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 5


_PATCH_LOCK = threading.Lock()
T = TypeVar("T")


class _SeededSecrets:
    """The three ``secrets`` functions the captcha library calls, from a seeded Random."""

    def __init__(self, seed: str) -> None:
        self._random = random.Random(seed)

    def randbelow(self, n: int) -> int:
        return self._random.randrange(n)

    def randbits(self, k: int) -> int:
        return self._random.getrandbits(k)

    def choice(self, seq: Sequence[T]) -> T:
        return self._random.choice(seq)


def new_answer() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def tutorial_answer(text: str, serial: int) -> str:
    """The ``serial``-th captcha of a browser in tutorial mode: ``text`` first, then a
    repeatable sequence, so screenshots are stable and a refused captcha still changes."""
    if serial == 0:
        return text
    rng = random.Random(f"{text}:{serial}")
    return "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def render_png(answer: str, *, deterministic: bool = False) -> bytes:
    """Draw ``answer`` as a distorted PNG; ``deterministic`` pins the noise for screenshots."""
    generator = ImageCaptcha(width=160, height=56, font_sizes=(40, 44, 48))
    if deterministic:
        # The library draws its noise from ``secrets``; a seeded stand-in for that one
        # module makes tutorial screenshots repeatable. The lock keeps the patch from
        # leaking into a concurrent request.
        with _PATCH_LOCK, mock.patch.object(captcha_image, "secrets", _SeededSecrets(answer)):
            image = generator.generate_image(answer)
    else:
        image = generator.generate_image(answer)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def matches(answer: str | None, given: str) -> bool:
    """Case-insensitive, spaces forgiven: the platform's captcha is not a typing test."""
    return bool(answer) and given.strip().upper() == (answer or "").upper()
