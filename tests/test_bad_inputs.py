"""Every bad input is refused the same way: one line, exit status 2, no traceback, in bounded time and memory.

The table below runs in ONE subprocess (one Numba import) under an address-space
limit of 3 GiB, so a regression that allocates without bound fails fast
instead of taking the machine down.  That subprocess (this file run as a
script) invokes the command line in-process with Typer's CliRunner, or calls
the Python API, once per case, and writes one JSON line per case; the tests
are parametrized over those lines.  A case that crashes or hangs the runner is
reported as such (the runner writes a "start" line before each case).

Spanish cases (``--lang es``) are run in English too: their line must differ.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

#: Address-space limit of the runner: far above any legitimate case, far below the machine.
MEMORY_LIMIT = 3 << 30
#: Most seconds one case may take (the first ones also compile engine routines).
CASE_SECONDS = 60
#: Most seconds the whole table may take.
TABLE_SECONDS = 900

BIG = str(2**63)
HUGE = "9" * 40
D = "{d}"  # the runner's folder of bad files

# (id, command line or API call, options).  Options: "es": a fragment the Spanish line must contain
# (True: only that it differs from English); "input": standard input.
CLI_CASES: list[tuple[str, list[str], dict]] = [
    # --- the framework's own usage errors
    ("no-such-command", ["convolve", "1", "-k", "1"], {}),
    ("no-such-command-es", ["convolve", "1", "--lang", "es"], {"es": "no existe la orden"}),
    ("conv-no-such-option", ["conv", "1", "-k", "1", "--strid", "2"], {}),
    ("conv-no-such-option-es", ["conv", "1", "-k", "1", "--strid", "2", "--lang", "es"],
     {"es": "no existe la opción --strid"}),
    ("conv-no-such-short-option", ["conv", "1", "-k", "1", "-z"], {}),
    ("conv-missing-input", ["conv"], {}),
    ("conv-missing-input-es", ["conv", "--lang", "es"], {"es": "falta el argumento"}),
    ("conv-missing-kernel", ["conv", "1 2; 3 4"], {}),
    ("conv-missing-kernel-es", ["conv", "1 2; 3 4", "--lang", "es"], {"es": "falta la opción"}),
    ("conv-kernel-without-value", ["conv", "1 2; 3 4", "-k"], {}),
    ("conv-kernel-value-is-an-option", ["conv", "1 2; 3 4", "--kernel", "--trace"], {}),
    ("check-kernel-and-pool", ["check", "1 2; 3 4", "-k", "1", "--pool", "max:2", "--answer", "1"], {}),
    ("check-stdin-twice", ["check", "-", "-k", "1", "--answer", "-"], {}),
    ("quiz-seed-value-is-an-option-es", ["quiz", "--seed", "--lang", "es"], {"es": "necesita un valor"}),
    ("conv-extra-arguments", ["conv", "1", "2", "3", "-k", "1"], {}),
    ("conv-extra-arguments-es", ["conv", "1", "2", "-k", "1", "--lang", "es"], {"es": "de más"}),
    ("conv-max-steps-not-int", ["conv", "1", "-k", "1", "--trace", "--max-steps", "x"], {}),
    ("conv-max-steps-negative", ["conv", "1", "-k", "1", "--trace", "--max-steps", "-1"], {}),
    ("conv-precision-out-of-range", ["conv", "1", "-k", "1", "--precision", "99"], {}),
    ("conv-precision-es", ["conv", "1", "-k", "1", "--precision", "99", "--lang", "es"], {"es": "fuera de rango"}),
    ("conv-bad-format", ["conv", "1", "-k", "1", "-f", "pdf"], {}),
    ("conv-bad-device", ["conv", "1", "-k", "1", "--device", "gpu"], {}),
    ("conv-bad-lang", ["conv", "1", "-k", "1", "--lang", "fr"], {}),
    ("conv-flip-with-value", ["conv", "1", "-k", "1", "--flip=yes"], {}),
    ("conv-lang-without-value", ["conv", "1", "-k", "1", "--lang"], {}),
    ("pool-bad-mode", ["pool", "1 2; 3 4", "--mode", "median"], {}),
    ("pool-bad-mode-es", ["pool", "1 2; 3 4", "--mode", "mediana", "--lang", "es"],
     {"es": "no es una de las opciones"}),
    ("pool-missing-input", ["pool"], {}),
    ("pool-no-such-option", ["pool", "1 2; 3 4", "--sise", "2"], {}),
    ("check-bad-tol", ["check", "1", "-k", "1", "--answer", "1", "--tol", "x"], {}),
    ("check-negative-tol", ["check", "1", "-k", "1", "--answer", "1", "--tol", "-1"], {}),
    ("check-bad-format", ["check", "1", "-k", "1", "--answer", "1", "-f", "csv"], {}),
    ("quiz-count-zero", ["quiz", "--count", "0"], {}),
    ("quiz-count-huge", ["quiz", "--count", HUGE], {}),
    ("quiz-kernel-size-zero", ["quiz", "--kernel-size", "0"], {}),
    ("quiz-seed-not-int", ["quiz", "--seed", "abc"], {}),
    ("quiz-bad-format", ["quiz", "--format", "html"], {}),
    ("kernels-show-missing", ["kernels", "show"], {}),
    ("kernels-no-such-command", ["kernels", "list"], {}),
    ("batch-missing-out", ["batch", D], {}),
    ("batch-workers-negative", ["batch", D, D + "/out-w", "-k", "box-3", "--workers", "-1"], {}),
    ("batch-workers-not-int", ["batch", D, D + "/out-w", "-k", "box-3", "--workers", "many"], {}),
    ("batch-bad-channels", ["batch", D, D + "/out-c", "-k", "box-3", "--channels", "rgb"], {}),
    ("batch-bad-range", ["batch", D, D + "/out-r", "-k", "box-3", "--range", "wrap"], {}),
    ("batch-extra-argument", ["batch", D, D + "/out-x", "extra", "-k", "box-3"], {}),
    # --- settings from the issue: integers past int64, huge sizes, non-finite numbers
    ("conv-stride-2**63", ["conv", "1 2; 3 4", "-k", "1", "--stride", BIG], {}),
    ("conv-padding-2**63", ["conv", "1 2; 3 4", "-k", "1", "--padding", BIG], {}),
    ("conv-dilation-2**63", ["conv", "1 2; 3 4", "-k", "1 1; 1 1", "--dilation", BIG], {}),
    ("pool-stride-2**63", ["pool", "1 2; 3 4", "--stride", BIG], {}),
    ("pool-size-2**63", ["pool", "1 2; 3 4", "--size", BIG], {}),
    ("conv-pad-value-1e999", ["conv", "1 2; 3 4", "-k", "1", "--padding", "1", "--pad-value", "1e999"], {}),
    ("conv-pad-value-nan", ["conv", "1 2; 3 4", "-k", "1", "--padding", "1", "--pad-value", "nan"], {}),
    ("conv-pad-value-huge-int", ["conv", "1 2; 3 4", "-k", "1", "--padding", "1", "--pad-value", HUGE], {}),
    ("conv-pad-value-es", ["conv", "1 2; 3 4", "-k", "1", "--pad-value", "x", "--lang", "es"], {"es": True}),
    ("conv-stride-zero", ["conv", "1 2; 3 4", "-k", "1", "--stride", "0"], {}),
    ("conv-stride-zero-es", ["conv", "1 2; 3 4", "-k", "1", "--stride", "0", "--lang", "es"], {"es": True}),
    ("conv-padding-negative", ["conv", "1 2; 3 4", "-k", "1", "--padding", "-1"], {}),
    ("conv-padding-words", ["conv", "1 2; 3 4", "-k", "1", "--padding", "lots"], {}),
    ("conv-padding-billion", ["conv", "1 2; 3 4", "-k", "1", "--padding", "1000000000"], {}),
    ("conv-dilation-billion-full", ["conv", "1 2; 3 4", "-k", "1 1; 1 1", "--dilation", "1000000000",
                                    "--padding", "full"], {}),
    ("conv-pad-mode-unknown", ["conv", "1 2; 3 4", "-k", "1", "--padding", "1", "--pad-mode", "mirror-ish"], {}),
    ("conv-reflect-too-large", ["conv", "1 2; 3 4", "-k", "1", "--padding", "5", "--pad-mode", "reflect"], {}),
    ("conv-kernel-larger", ["conv", "1 2; 3 4", "-k", "1 1 1; 1 1 1; 1 1 1"], {}),
    ("conv-at-bad", ["conv", "1 2; 3 4", "-k", "1", "--at", "x,y"], {}),
    ("conv-at-outside", ["conv", "1 2; 3 4", "-k", "1", "--at", "5,5"], {}),
    ("conv-max-steps-billion-big-input", ["conv", D + "/big.npy", "-k", "sharpen", "--trace",
                                          "--max-steps", "1000000000"], {}),
    ("conv-trace-all-big-input-json", ["conv", D + "/big.npy", "-k", "sharpen", "--trace",
                                       "--max-steps", "0", "-f", "json"], {}),
    ("conv-npy-needs-output", ["conv", "1 2; 3 4", "-k", "1", "-f", "npy"], {}),
    ("pool-size-zero", ["pool", "1 2; 3 4", "--size", "0"], {}),
    ("pool-window-too-large", ["pool", "1 2; 3 4", "--size", "5"], {}),
    ("pool-padding-too-large", ["pool", "1 2; 3 4", "--size", "2", "--padding", "3"], {}),
    ("pool-padding-billion", ["pool", "1 2; 3 4", "--padding", "1000000000"], {}),
    ("pool-size-words", ["pool", "1 2; 3 4", "--size", "big"], {}),
    ("pool-sum-2**62", ["pool", f"{2**62} {2**62}; {2**62} {2**62}", "--mode", "sum"], {"ok": [0, 2]}),
    # --- kernels
    ("conv-kernel-unknown-name", ["conv", "1 2; 3 4", "-k", "sharpenn"], {}),
    ("conv-kernel-nan", ["conv", "1 2; 3 4", "-k", "nan 1; 1 1"], {}),
    ("conv-kernel-inf", ["conv", "1 2; 3 4", "-k", "inf"], {}),
    ("conv-kernel-ragged", ["conv", "1 2; 3 4", "-k", "1 2; 3"], {}),
    ("conv-kernel-empty", ["conv", "1 2; 3 4", "-k", ""], {}),
    ("conv-kernel-text", ["conv", "1 2; 3 4", "-k", "a b; c d"], {}),
    ("conv-kernel-fraction-zero", ["conv", "1 2; 3 4", "-k", "1/0"], {}),
    ("conv-kernel-nan-file", ["conv", "1 2; 3 4", "-k", D + "/nan.txt"], {}),
    ("conv-kernel-directory", ["conv", "1 2; 3 4", "-k", D], {}),
    ("conv-kernel-empty-file", ["conv", "1 2; 3 4", "-k", D + "/empty.txt"], {}),
    ("conv-kernel-binary-file", ["conv", "1 2; 3 4", "-k", D + "/garbage.bin"], {}),
    ("conv-kernel-big-fractions", ["conv", "1 2; 3 4", "-k", "1/1000003 1/1000033; 1/1000037 1/1000039"],
     {"ok": [0, 2]}),
    # --- inputs: files of every wrong kind
    ("conv-input-missing-file", ["conv", D + "/nope.txt", "-k", "1"], {}),
    ("conv-input-missing-file-es", ["conv", D + "/nope.txt", "-k", "1", "--lang", "es"], {"es": True}),
    ("conv-input-empty-text", ["conv", D + "/empty.txt", "-k", "1"], {}),
    ("conv-input-empty-npy", ["conv", D + "/empty.npy", "-k", "1"], {}),
    ("conv-input-zero-size-npy", ["conv", D + "/zero-size.npy", "-k", "1"], {}),
    ("conv-input-garbage", ["conv", D + "/garbage.bin", "-k", "1"], {}),
    ("conv-input-garbage-npy", ["conv", D + "/garbage.npy", "-k", "1"], {}),
    ("conv-input-garbage-png", ["conv", D + "/garbage.png", "-k", "1"], {}),
    ("conv-input-directory", ["conv", D, "-k", "1"], {}),
    ("conv-input-non-utf8", ["conv", D + "/latin1.txt", "-k", "1"], {}),
    ("conv-input-npy-huge-header", ["conv", D + "/huge-header.npy", "-k", "1"], {}),
    ("conv-input-npy-object", ["conv", D + "/object.npy", "-k", "1"], {}),
    ("conv-input-npy-strings", ["conv", D + "/strings.npy", "-k", "1"], {}),
    ("conv-input-npy-4d", ["conv", D + "/four-d.npy", "-k", "1"], {}),
    ("conv-input-json-deep", ["conv", D + "/deep.json", "-k", "1"], {}),
    ("conv-input-json-bigint", ["conv", D + "/bigint.json", "-k", "1"], {}),
    ("conv-input-json-not-matrix", ["conv", D + "/dict.json", "-k", "1"], {}),
    ("conv-input-json-broken", ["conv", D + "/broken.json", "-k", "1"], {}),
    ("conv-input-json-channels-ragged", ["conv", D + "/channels-ragged.json", "-k", "1"], {}),
    ("conv-input-text-bigint", ["conv", D + "/bigint.txt", "-k", "1"], {}),
    ("conv-input-inline-bigint", ["conv", f"{HUGE} 1; 1 1", "-k", "1"], {}),
    ("conv-input-inline-1e999", ["conv", "1e999 1; 1 1", "-k", "1"], {}),
    ("conv-input-inline-nan", ["conv", "nan 1; 1 1", "-k", "1"], {"ok": [0, 2]}),  # NaN in, NaN out, or refused
    ("conv-input-inline-words", ["conv", "one two; three four", "-k", "1"], {}),
    ("conv-input-inline-ragged", ["conv", "1 2; 3", "-k", "1"], {}),
    ("conv-input-inline-empty", ["conv", "", "-k", "1"], {}),
    ("conv-input-inline-only-separators", ["conv", ";;;", "-k", "1"], {}),
    ("conv-input-stdin-empty", ["conv", "-", "-k", "1"], {"input": ""}),
    ("conv-input-stdin-garbage", ["conv", "-", "-k", "1"], {"input": "\x00\x01\x02 not numbers"}),
    ("conv-input-csv-ragged", ["conv", D + "/ragged.csv", "-k", "1"], {}),
    ("conv-input-decimal-comma", ["conv", "0,5 1,5", "-k", "1"], {"ok": [0, 2]}),
    ("conv-input-big-int-exact", ["conv", f"{3 * 10**9} {3 * 10**9}; {3 * 10**9} {3 * 10**9}", "-k",
                                  f"{3 * 10**9} {3 * 10**9}; {3 * 10**9} {3 * 10**9}"], {"ok": [0, 2]}),
    ("pool-input-negative-matrix", ["pool", "-1 -2 -3; -4 -5 -6; -7 -8 -9"], {"ok": [0]}),
    ("pool-input-missing-file", ["pool", D + "/nope.npy"], {}),
    ("pool-input-directory-es", ["pool", D, "--lang", "es"], {"es": True}),
    # --- output files
    ("conv-output-missing-folder", ["conv", "1 2; 3 4", "-k", "1", "-o", D + "/no/such/dir/out.txt"], {}),
    ("conv-output-onto-directory", ["conv", "1 2; 3 4", "-k", "1", "-o", D, "--force"], {}),
    ("conv-output-exists", ["conv", "1 2; 3 4", "-k", "1", "-o", D + "/empty.txt"], {}),
    ("conv-output-exists-es", ["conv", "1 2; 3 4", "-k", "1", "-o", D + "/empty.txt", "--lang", "es"],
     {"es": "ya existe"}),
    # --- check
    ("check-nothing-asked", ["check", "--answer", "1"], {}),
    ("check-no-answer", ["check", "1 2; 3 4", "-k", "1"], {}),
    ("check-empty-answer", ["check", "1 2; 3 4", "-k", "1", "--answer", ""], {}),
    ("check-answer-garbage-file", ["check", "1 2; 3 4", "-k", "1", "--answer", D + "/garbage.bin"], {}),
    ("check-answer-directory", ["check", "1 2; 3 4", "-k", "1", "--answer", D], {}),
    ("check-answers-not-folder", ["check", "1 2; 3 4", "-k", "1", "--answers", D + "/empty.txt"], {}),
    ("check-answers-missing", ["check", "1 2; 3 4", "-k", "1", "--answers", D + "/nope"], {}),
    ("check-answers-all-bad", ["check", "1 2; 3 4", "-k", "1", "--answers", D + "/class-bad"],
     {"rows": ["a.txt", "b.npy", "c.json", "d.txt"], "exit": 2}),
    ("check-answers-one-bad", ["check", "1 2; 3 4", "-k", "1", "--answers", D + "/class-mixed"],
     {"rows": ["good.txt", "empty.npy", "garbage.txt", "deep.json"], "exit": 1}),
    ("check-both-kernel-and-pool", ["check", "1 2; 3 4", "-k", "1", "--pool", "max:2", "--answer", "1"], {}),
    ("check-bad-pool", ["check", "1 2; 3 4", "--pool", "max:0", "--answer", "1"], {}),
    ("check-key-missing", ["check", "--key", D + "/nope.json", "--answer", "1"], {}),
    ("check-key-garbage", ["check", "--key", D + "/garbage.bin", "--answer", "1"], {}),
    ("check-key-params-list", ["check", "--key", D + "/key-params-list.json", "--answer", "1"], {}),
    ("check-key-scale-1-0", ["check", "--key", D + "/key-scale-zero.json", "--answer", "1"], {}),
    ("check-key-unknown-field", ["check", "--key", D + "/key-unknown-field.json", "--answer", "1"], {}),
    ("check-key-huge-padding", ["check", "--key", D + "/key-huge-padding.json", "--answer", "1"], {}),
    ("check-key-not-object", ["check", "--key", D + "/bigint.json", "--answer", "1"], {}),
    ("check-key-es", ["check", "--key", D + "/key-params-list.json", "--answer", "1", "--lang", "es"],
     {"es": True}),
    ("check-stride-2**63", ["check", "1 2; 3 4", "-k", "1", "--stride", BIG, "--answer", "1"], {}),
    # --- quiz
    ("quiz-seed-negative", ["quiz", "--seed", "-1"], {}),
    ("quiz-seed-negative-es", ["quiz", "--seed", "-1", "--lang", "es"], {"es": "semilla"}),
    ("quiz-size-3000", ["quiz", "--size", "3000x3000"], {}),
    ("quiz-size-100000", ["quiz", "--size", "100000x100000"], {}),
    ("quiz-size-2**63", ["quiz", "--size", f"{BIG}x{BIG}"], {}),
    ("quiz-size-zero", ["quiz", "--size", "0x5"], {}),
    ("quiz-size-words", ["quiz", "--size", "big"], {}),
    ("quiz-size-count", ["quiz", "--size", "100x100", "--count", "500"], {}),
    ("quiz-padding-huge", ["quiz", "--size", "20x20", "--padding", "100", "--count", "20"], {}),
    ("quiz-padding-billion", ["quiz", "--padding", "1000000000"], {}),
    ("quiz-values-reversed", ["quiz", "--values", "9..0"], {}),
    ("quiz-values-huge", ["quiz", "--values", f"0..{HUGE}"], {}),
    ("quiz-values-words", ["quiz", "--values", "low..high"], {}),
    ("quiz-bad-pool", ["quiz", "--pool", "median:2"], {}),
    ("quiz-kernel-unknown", ["quiz", "--kernel", "nope-kernel"], {}),
    ("quiz-kernel-too-large", ["quiz", "--size", "3x3", "--kernel-size", "9"], {}),
    ("quiz-output-is-file", ["quiz", "-o", D + "/empty.txt"], {}),
    # --- batch
    ("batch-in-missing", ["batch", D + "/nope", D + "/out-a", "-k", "box-3"], {}),
    ("batch-in-is-file", ["batch", D + "/empty.txt", D + "/out-b", "-k", "box-3"], {}),
    ("batch-nothing-to-do", ["batch", D + "/images", D + "/out-c"], {}),
    ("batch-pool-zero", ["batch", D + "/images", D + "/out-d", "--pool", "max:0"], {}),
    ("batch-stride-zero", ["batch", D + "/images", D + "/out-e", "-k", "box-3", "--stride", "0"], {}),
    ("batch-kernel-unknown", ["batch", D + "/images", D + "/out-f", "-k", "nope-kernel"], {}),
    ("batch-out-inside-in", ["batch", D + "/images", D + "/images/outputs", "-k", "box-3"], {}),
    ("batch-stride-2**63", ["batch", D + "/images", D + "/out-g", "-k", "box-3", "--stride", BIG], {}),
    ("batch-pool-zero-es", ["batch", D + "/images", D + "/out-h", "--pool", "max:0", "--lang", "es"],
     {"es": True}),
    # --- empty values, as an unset shell variable gives them
    ("conv-output-empty", ["conv", "1 2; 3 4", "-k", "1", "-o", ""], {}),
    ("conv-output-equals-empty", ["conv", "1 2; 3 4", "-k", "1", "--output="], {}),
    ("conv-kernel-blank-es", ["conv", "1 2; 3 4", "-k", " ", "--lang", "es"], {"es": "valor vacío"}),
    ("batch-out-empty", ["batch", D + "/images", "", "-k", "box-blur"], {}),
    ("batch-in-empty-es", ["batch", "", D + "/out-i", "-k", "box-blur", "--lang", "es"], {"es": "IN está vacío"}),
    # --- options that need another, or name a thing of the wrong kind
    ("check-bias-alone", ["check", "1 2; 3 4", "-k", "1", "--bias", "1", "--answer", "1"], {}),
    ("check-key-and-input", ["check", "1 2; 3 4", "--key", D + "/empty.txt", "--answer", "1"], {}),
    ("quiz-tconv-and-pool-es", ["quiz", "--tconv", "--pool", "max:2", "--lang", "es"], {"es": "deja uno"}),
    ("conv-kernels-dir-is-file", ["conv", "1 2; 3 4", "-k", "1", "--kernels-dir", D + "/empty.txt"], {}),
    ("check-report-pdf", ["check", "1 2; 3 4", "-k", "1", "--answer", "1 2; 3 4", "--report", D + "/r.pdf"], {}),
    ("batch-scheduler-udp", ["batch", D + "/images", D + "/out-j", "-k", "box-blur", "--scheduler", "udp://h:1"], {}),
    ("batch-scheduler-no-port-es", ["batch", D + "/images", D + "/out-k", "-k", "box-blur", "--scheduler", "tcp://h",
                                    "--lang", "es"], {"es": "falta el puerto"}),
]

# (id, Python expression, options): every one must raise a ConvtraceError that is a ValueError or TypeError.
API_CASES: list[tuple[str, str, dict]] = [
    ("api-same-padding-zero-dilation", "ct.same_padding(5, 3, 0)", {}),
    ("api-conv2d-string-input", "ct.conv2d('abc', [[1]])", {}),
    ("api-conv2d-none-kernel", "ct.conv2d([[1, 2], [3, 4]], None)", {}),
    ("api-conv2d-nan-kernel", "ct.conv2d([[1, 2], [3, 4]], [[float('nan')]])", {}),
    ("api-conv2d-flip-string", "ct.conv2d([[1, 2], [3, 4]], [[1]], flip='no')", {}),
    ("api-conv2d-stride-zero", "ct.conv2d([[1, 2], [3, 4]], [[1]], stride=0)", {}),
    ("api-conv2d-stride-2**63", f"ct.conv2d([[1, 2], [3, 4]], [[1]], stride={BIG})", {}),
    ("api-conv2d-padding-2**63", f"ct.conv2d([[1, 2], [3, 4]], [[1]], padding={BIG})", {}),
    ("api-conv2d-padding-billion", "ct.conv2d([[1, 2], [3, 4]], [[1]], padding=10**9)", {}),
    ("api-conv2d-stride-float", "ct.conv2d([[1, 2], [3, 4]], [[1]], stride=1.5)", {}),
    ("api-conv2d-bigint-input", "ct.conv2d([[10**30 + 1]], [[1]])", {"ok": True}),
    ("api-conv2d-empty", "ct.conv2d([], [[1]])", {}),
    ("api-conv2d-ragged", "ct.conv2d([[1, 2], [3]], [[1]])", {}),
    ("api-conv2d-complex", "ct.conv2d([[1j]], [[1]])", {}),
    ("api-conv2d-unknown-pad-mode", "ct.conv2d([[1, 2], [3, 4]], [[1]], padding=1, pad_mode='mirror-ish')", {}),
    ("api-pool2d-mode-unknown", "ct.pool2d([[1, 2], [3, 4]], 2, mode='median')", {}),
    ("api-pool2d-size-zero", "ct.pool2d([[1, 2], [3, 4]], 0)", {}),
    ("api-pool2d-size-2**63", f"ct.pool2d([[1, 2], [3, 4]], {BIG})", {}),
    ("api-pool2d-ceil-string", "ct.pool2d([[1, 2], [3, 4]], 2, ceil_mode='yes')", {}),
    ("api-output-size-zero-stride", "ct.output_size(5, 3, stride=0)", {}),
    ("api-sigmoid-none", "ct.sigmoid(None)", {}),
    ("api-relu-string", "ct.relu('abc')", {}),
    ("api-softmax-empty", "ct.softmax([])", {}),
    ("api-convspec-padding-list", "ct.ConvSpec(padding=[1, 2, 3])", {}),
    ("api-poolspec-mode-none", "ct.PoolSpec(size=2, mode=None)", {}),
    ("api-quiz-seed-negative", "make_quiz(-1, 1, QuizSpec())", {}),
    ("api-quiz-seed-bool", "make_quiz(True, 1, QuizSpec())", {}),
    ("api-quiz-size-huge", "make_quiz(0, 1, QuizSpec(size=(100000, 100000)))", {}),
    ("api-quiz-count-zero", "make_quiz(0, 0, QuizSpec())", {}),
    ("api-quiz-values-huge", "make_quiz(0, 1, QuizSpec(values=(0, 10**30)))", {}),
]


# ------------------------------------------------------------------ the runner (this file as a script)

def _make_files(d: Path) -> None:
    """The folder of bad files the cases name as {d}."""
    import numpy as np

    d.mkdir(parents=True, exist_ok=True)
    (d / "empty.txt").write_bytes(b"")
    (d / "empty.npy").write_bytes(b"")
    np.save(d / "zero-size.npy", np.zeros((0, 3)))
    (d / "garbage.bin").write_bytes(bytes(range(256)) * 8)
    (d / "garbage.npy").write_bytes(b"\x93NUMPY garbage" + bytes(range(200)))
    (d / "garbage.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(100)))
    (d / "latin1.txt").write_bytes("1 2\n3 \xe9\n".encode("latin-1"))
    header = "{'descr': '<i8', 'fortran_order': False, 'shape': (1000000000, 1000000), }"
    header += " " * (118 - len(header)) + "\n"
    (d / "huge-header.npy").write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little")
                                        + header.encode("latin-1") + b"\x00" * 64)
    np.save(d / "object.npy", np.array([[1, None]], dtype=object), allow_pickle=True)
    np.save(d / "strings.npy", np.array([["a", "b"]]))
    np.save(d / "four-d.npy", np.zeros((2, 2, 2, 2)))
    np.save(d / "big.npy", np.arange(1500 * 1500, dtype=np.int64).reshape(1500, 1500) % 10)
    (d / "deep.json").write_text("[" * 2000 + "1" + "]" * 2000, encoding="utf-8")
    (d / "bigint.json").write_text(f"[[{HUGE}, 1], [1, 1]]", encoding="utf-8")
    (d / "dict.json").write_text('{"a": 1}', encoding="utf-8")
    (d / "broken.json").write_text("[[1, 2], [3,", encoding="utf-8")
    (d / "channels-ragged.json").write_text("[[[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]]]", encoding="utf-8")
    (d / "bigint.txt").write_text(f"{HUGE} 1\n1 1\n", encoding="utf-8")
    (d / "nan.txt").write_text("nan 1\n1 1\n", encoding="utf-8")
    (d / "ragged.csv").write_text("1,2,3\n4,5\n", encoding="utf-8")
    key = {"convtrace_key": 2, "op": "conv", "input": [[1, 2], [3, 4]],
           "params": {"padding": 0, "stride": 1}, "kernel": {"name": "k", "weights": [[1]], "scale": "1"}}
    (d / "key-params-list.json").write_text(json.dumps({**key, "params": [1, 2]}), encoding="utf-8")
    (d / "key-scale-zero.json").write_text(json.dumps({**key, "kernel": {**key["kernel"], "scale": "1/0"}}),
                                          encoding="utf-8")
    (d / "key-unknown-field.json").write_text(json.dumps({**key, "params": {"padding": 0, "colour": "red"}}),
                                             encoding="utf-8")
    (d / "key-huge-padding.json").write_text(json.dumps({**key, "params": {"padding": 10**9}}), encoding="utf-8")
    bad = d / "class-bad"
    bad.mkdir(exist_ok=True)
    (bad / "a.txt").write_bytes(b"")
    (bad / "b.npy").write_bytes(b"")
    (bad / "c.json").write_text("[" * 2000, encoding="utf-8")
    (bad / "d.txt").write_bytes(bytes(range(256)))
    (bad / "e.csv").mkdir(exist_ok=True)  # a folder named like an answer is no answer
    mixed = d / "class-mixed"
    mixed.mkdir(exist_ok=True)
    (mixed / "good.txt").write_text("1 2\n3 4\n", encoding="utf-8")
    (mixed / "empty.npy").write_bytes(b"")
    (mixed / "garbage.txt").write_bytes(bytes(range(256)))
    (mixed / "deep.json").write_text("[" * 2000 + "1" + "]" * 2000, encoding="utf-8")
    images = d / "images"
    images.mkdir(exist_ok=True)
    from PIL import Image

    Image.fromarray(np.arange(64, dtype=np.uint8).reshape(8, 8)).save(images / "a.png")


def _run_cli(args: list[str], stdin: str | None) -> dict:
    import traceback

    from typer.testing import CliRunner

    from convtrace.cli import app

    env = {"NO_COLOR": "1", "COLUMNS": "100", "LANG": "en_US.UTF-8", "LC_ALL": "", "CONVTRACE_KERNELS": ""}
    result = CliRunner().invoke(app, args, input=stdin, env=env)
    exc = result.exception
    tb = None
    if exc is not None and not isinstance(exc, SystemExit):
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return {"exit": result.exit_code, "output": result.output, "traceback": tb}


def _run_api(expression: str) -> dict:
    import traceback

    import numpy as np

    import convtrace as ct
    from convtrace.errors import ConvtraceError
    from convtrace.quiz import QuizSpec, make_quiz

    names = {"ct": ct, "np": np, "make_quiz": make_quiz, "QuizSpec": QuizSpec}
    try:
        eval(expression, names)  # noqa: S307 — the expressions are this file's own table
    except ConvtraceError as err:
        return {"raised": type(err).__name__, "value_or_type": isinstance(err, (ValueError, TypeError)),
                "convtrace": True, "message": str(err)}
    except BaseException as err:  # noqa: BLE001 — anything else is what this suite looks for
        return {"raised": type(err).__name__, "convtrace": False, "message": str(err)[:500],
                "traceback": "".join(traceback.format_exception(type(err), err, err.__traceback__))[-3000:]}
    return {"raised": None, "convtrace": False}


def _runner(folder: Path, out: Path) -> None:
    import resource
    import signal

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")
    _make_files(folder)
    os.chdir(folder)

    class Timeout(Exception):
        pass

    def alarm(signum, frame):
        raise Timeout()

    signal.signal(signal.SIGALRM, alarm)
    with out.open("w", encoding="utf-8") as log:
        def write(doc):
            log.write(json.dumps(doc) + "\n")
            log.flush()

        jobs = [(name, "cli", [a.replace(D, str(folder)) for a in args], opts) for name, args, opts in CLI_CASES]
        jobs += [(name, "api", expr, opts) for name, expr, opts in API_CASES]
        for name, kind, what, opts in jobs:
            write({"start": name})
            runs = {"main": what}
            if opts.get("es") and kind == "cli":
                runs["en"] = [a for a in what if a not in ("--lang", "es")]
            for label, call in runs.items():
                start = time.perf_counter()
                signal.alarm(CASE_SECONDS)
                try:
                    doc = _run_cli(call, opts.get("input")) if kind == "cli" else _run_api(call)
                except Timeout:
                    doc = {"timeout": True}
                except MemoryError:
                    doc = {"memory_error": True}
                finally:
                    signal.alarm(0)
                doc.update(case=name, run=label, seconds=time.perf_counter() - start,
                           rss_kib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
                write(doc)


# ------------------------------------------------------------------ the tests

ALL_CASES = [name for name, _, _ in CLI_CASES] + [name for name, _, _ in API_CASES]
OPTIONS = {name: opts for name, _, opts in CLI_CASES + API_CASES}


def test_the_table_is_large_and_unique():
    assert len(ALL_CASES) >= 100
    assert len(set(ALL_CASES)) == len(ALL_CASES)
    commands = {args[0] for _, args, _ in CLI_CASES}
    assert {"conv", "pool", "check", "quiz", "batch"} <= commands
    assert sum(1 for opts in OPTIONS.values() if opts.get("es")) >= 10


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-inputs")
    out = folder / "results.jsonl"
    env = {**os.environ, "NUMBA_ENABLE_CUDASIM": os.environ.get("NUMBA_ENABLE_CUDASIM", "1")}
    try:
        proc = subprocess.run([sys.executable, __file__, str(folder / "files"), str(out)], env=env,
                              capture_output=True, text=True, timeout=TABLE_SECONDS)
        crash = None if proc.returncode == 0 else f"runner exit {proc.returncode}: {proc.stderr[-3000:]}"
    except subprocess.TimeoutExpired:
        crash = f"the runner took more than {TABLE_SECONDS} s"
    found: dict[str, dict] = {}
    started = None
    for line in out.read_text(encoding="utf-8").splitlines() if out.exists() else []:
        doc = json.loads(line)
        if "start" in doc:
            started = doc["start"]
        else:
            found.setdefault(doc["case"], {})[doc["run"]] = doc
    return {"found": found, "crash": crash, "last_started": started}


def _result(results, name):
    doc = results["found"].get(name, {}).get("main")
    if doc is None:
        where = " (the runner died in this case)" if results["last_started"] == name else ""
        pytest.fail(f"no result for {name}{where}: {results['crash']}")
    assert not doc.get("timeout"), f"{name}: took more than {CASE_SECONDS} s"
    assert not doc.get("memory_error"), f"{name}: ran out of its {MEMORY_LIMIT >> 30} GiB"
    assert doc["seconds"] < CASE_SECONDS
    assert doc["rss_kib"] * 1024 < MEMORY_LIMIT
    return doc


@pytest.mark.parametrize("name", [name for name, _, _ in CLI_CASES])
def test_a_bad_command_line_is_one_clean_line(results, name):
    doc = _result(results, name)
    opts = OPTIONS[name]
    output = doc["output"]
    assert doc["traceback"] is None, f"{name}: unexpected exception\n{doc['traceback']}"
    assert "Traceback" not in output
    if "rows" in opts:  # a class folder: every file has its row, the readable ones are graded
        assert doc["exit"] == opts["exit"], output
        for file in opts["rows"]:
            assert f"| {file} " in output, f"{name}: no row for {file}: {output}"
        assert "0 graded" not in output or opts["exit"] == 2
        if opts["exit"] == 2:
            assert output.splitlines()[-1].startswith("error: ")
        return
    if "ok" in opts:  # a case that is right either way: an exact answer (status 0/1) or one clean refusal
        assert doc["exit"] in opts["ok"], output
        if doc["exit"] != 2:
            return
    assert doc["exit"] == 2, f"{name}: exit {doc['exit']}: {output!r}"
    lines = output.splitlines()
    assert len(lines) == 1, f"{name}: {len(lines)} lines: {output!r}"
    assert lines[0].startswith("error: "), lines[0]
    assert "╭" not in output and "Usage:" not in output
    es = opts.get("es")
    if es:
        english = results["found"][name]["en"]["output"]
        assert output != english, f"{name}: the same line in English and Spanish: {output!r}"
        if isinstance(es, str):
            assert es in output, output


@pytest.mark.parametrize("name", [name for name, _, _ in API_CASES])
def test_a_bad_api_call_raises_a_convtrace_error(results, name):
    doc = _result(results, name)
    if OPTIONS[name].get("ok") and doc["raised"] is None:
        return  # computed exactly instead of refusing
    assert doc["convtrace"], f"{name}: raised {doc['raised']}: {doc.get('message')}\n{doc.get('traceback', '')}"
    assert doc["value_or_type"], doc


if __name__ == "__main__":
    _runner(Path(sys.argv[1]), Path(sys.argv[2]))
