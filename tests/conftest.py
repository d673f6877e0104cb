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
