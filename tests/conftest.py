"""Fixtures shared by the test modules."""
import pytest

from torchlua import Runtime


@pytest.fixture(scope="module")
def rt():
    """One Lua state per test module (a module may define its own instead)."""
    return Runtime()
