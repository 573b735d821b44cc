"""A case's life: its statuses, as the applicant reads them, and the moves between them.

Gold Card cases are paid first and reviewed after (T8.17: 「繳費完成後，您的申請案將進入
審核階段」); other-reason and student cases are reviewed first and paid after approval
(「請於審核核准後至本平臺進行線上繳費」). Both orders run through the same table.
"""

from __future__ import annotations

SUBMITTED = "已送件"
AWAITING_PAYMENT = "待繳費"
PAID = "已繳費"
IN_REVIEW = "審核中"
SUPPLEMENT_REQUESTED = "初審資料補正"
SUPPLEMENT_SUBMITTED = "補正完成"
APPROVED = "審核通過"
REJECTED = "不予核准"
CARD_READY = "製證完成"
WITHDRAWN = "已撤銷"

# Where a case may go from each status; anything else is refused with a message.
MOVES: dict[str, frozenset[str]] = {
    SUBMITTED: frozenset({IN_REVIEW, WITHDRAWN}),
    AWAITING_PAYMENT: frozenset({PAID, WITHDRAWN}),
    PAID: frozenset({IN_REVIEW, CARD_READY}),
    IN_REVIEW: frozenset({SUPPLEMENT_REQUESTED, APPROVED, REJECTED, WITHDRAWN}),
    SUPPLEMENT_REQUESTED: frozenset({SUPPLEMENT_SUBMITTED, WITHDRAWN}),
    SUPPLEMENT_SUBMITTED: frozenset(
        {IN_REVIEW, SUPPLEMENT_REQUESTED, APPROVED, REJECTED, WITHDRAWN}
    ),
    APPROVED: frozenset({AWAITING_PAYMENT, CARD_READY}),
    REJECTED: frozenset(),
    CARD_READY: frozenset(),
    WITHDRAWN: frozenset(),
}
# 「案件撤銷」 is open until the agency has decided.
WITHDRAWABLE = frozenset(status for status, targets in MOVES.items() if WITHDRAWN in targets)
DECIDED = frozenset({APPROVED, REJECTED, CARD_READY})


class TransitionRefused(ValueError):
    """A move the life cycle does not allow; the text is user-facing."""


def check_move(current: str, target: str) -> None:
    if target not in MOVES.get(current, frozenset()):
        raise TransitionRefused(f"案件狀態為「{current}」，無法變更為「{target}」。")
