import os

# GPU kernels run in Numba's CUDA simulator unless a real GPU run is asked for;
# this must be set before Numba is first imported.
if not os.environ.get("CONVTRACE_REAL_GPU"):
    os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

from hypothesis import HealthCheck, settings  # noqa: E402

# The first call of each engine routine compiles it; never count that as slowness.
settings.register_profile("default", deadline=None, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", deadline=None, max_examples=500,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


import pytest  # noqa: E402


def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (pyproject's addopts): a process per CPU this process may use, at most 8.

    Most of a cold run is Numba compiling, one core per process; more than 8 processes would each
    compile the same routines again for little gain.
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, 8))

#: A fixed, colourless 100-column terminal in English with no user kernels: CLI output is comparable.
CLI_ENV = {"NO_COLOR": "1", "COLUMNS": "100", "LANG": "en_US.UTF-8", "LC_ALL": "", "CONVTRACE_KERNELS": ""}


@pytest.fixture
def run():
    """Run the command line in-process: ``run("conv", "1 2; 3 4", "-k", "1")`` → Click's Result."""
    from typer.testing import CliRunner

    from convtrace.cli import app

    def invoke(*args, input=None, env=None):
        result = CliRunner().invoke(app, [str(a) for a in args], input=input, env={**CLI_ENV, **(env or {})})
        assert "Traceback" not in result.output
        return result

    return invoke


@pytest.fixture
def lines():
    """Output split into lines without trailing blanks."""
    return lambda text: [line.rstrip() for line in text.splitlines()]
