"""Shared fixtures: the real graph, built once per test session into a temporary data directory."""

from __future__ import annotations

import pytest

from graph.build import build
from graph.settings import Settings
from graph.store import Layout


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings pointing at a data directory holding the real, validated graph."""
    data_dir = tmp_path_factory.mktemp("built")
    settings = Settings.from_env(data_dir=data_dir)
    build(settings, quiet=True)
    return settings


@pytest.fixture(scope="session")
def built_layout(built_settings: Settings) -> Layout:
    return Layout(built_settings.data_dir)
