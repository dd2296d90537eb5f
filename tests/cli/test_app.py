"""The CLI's outer contract: --help exits 0, bad usage exits 2 without a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chipexport", *args], capture_output=True, text=True, timeout=60
    )


def test_help_exits_zero_and_lists_commands() -> None:
    done = _run("--help")
    assert done.returncode == 0, done.stderr
    for command in ("lists", "screen"):
        assert command in done.stdout


@pytest.mark.parametrize("args", [("no-such-command",), ("lists", "--no-such-option")])
def test_bad_usage_exits_two_without_traceback(args: tuple[str, ...]) -> None:
    done = _run(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
