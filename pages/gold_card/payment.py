"""「線上繳費 - 列表」, reached from T8.17's 「前往線上繳費」: the platform's shared list."""

from __future__ import annotations

from pages.payment.payment_list import PaymentList

__all__ = ["PaymentList"]
