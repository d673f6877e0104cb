"""``python -m convtrace``: the slides' first worked example, traced."""

import numpy as np

import convtrace

image = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]])
kernel = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
trace = convtrace.trace_conv2d(image, kernel)
for step in trace.steps:
    terms = " + ".join(f"{w}·{v}" for w, v in zip(step.weights.ravel(), step.window.ravel(), strict=True))
    print(f"out{step.out_index} = {terms} = {step.result}")
print(trace.output)
