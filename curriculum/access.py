"""Who may use the goal bank: its data is public (Grep, NLOD), but its pages belong to the staff app."""

from accounts.access import require, staff_schools


def require_staff(request) -> None:
    """Staff of any school; everyone else gets 404 (they are outsiders to the staff pages)."""
    require(staff_schools(request.user).exists(), insider=False, object_type="goal_bank")
