import pytest


@pytest.fixture
def emails(cast):
    """Every member of the cast has an e-mail address (the factories give none)."""
    for user in cast.values():
        user.email = f"{user.username}@example.no"
        user.save(update_fields=["email"])
    return cast
