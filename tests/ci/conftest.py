"""Fixtures for the CI harness tests: the 随州 policy and the CLI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ci.helpers import SUIZHOU
from policylang.api import compile_path
from policylang.commands.main import cli


@pytest.fixture
def suizhou_policy():
    return compile_path(SUIZHOU)


@pytest.fixture
def run_cli():
    def run(*args):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return run
