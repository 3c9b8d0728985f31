"""Fixtures of the analysis tests: a quick scenario and the executors."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pytest

import siting


@pytest.fixture(scope="package")
def scn() -> siting.Scenario:
    """East Data, West Computing with one average slice: ~0.1 s per solve, emissions > 0."""
    return siting.Scenario.preset("east-data-west-computing", resolution="average")


@pytest.fixture(scope="package")
def pool():
    with ProcessPoolExecutor(2) as executor:
        yield executor


@pytest.fixture(scope="package")
def dask_executor():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        yield client.get_executor()


@pytest.fixture(params=["pool", "dask"])
def executor(request):
    return request.getfixturevalue("pool" if request.param == "pool" else "dask_executor")
