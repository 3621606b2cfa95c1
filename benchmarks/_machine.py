"""The machine a benchmark ran on: printed at the top of every benchmark and stored in its JSON last line.

A figure without its machine means little: the same commit trains at 1,500 epochs/s on a 2-core Xeon with
AVX-512 and at 300 on a 2-core AVX2-only EPYC, because numpy's vectorised ``tanh`` (and every other ufunc) picks
its SIMD kernel at import time. So every benchmark reports:

* CPU model, logical cores (and the cores this process may use), architecture;
* Python and numpy versions;
* numpy's SIMD: the compiled-in baseline, the dispatch targets this CPU runs (``__cpu_dispatch__`` ∩ found), and
  ``NPY_DISABLE_CPU_FEATURES`` if set (that is how a run "with AVX-512 disabled" is made — numpy 2.4 names the
  groups ``X86_V4 AVX512_ICL AVX512_SPR``; older numpy ``AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL
  AVX512_ICL AVX512_SPR``);
* the BLAS numpy uses (threadpoolctl if installed, else numpy's build configuration) and its thread count.

Use::

    from _machine import machine          # benchmarks/ is on sys.path when a script there runs
    info = machine()                      # prints one block, returns a JSON-ready dict
"""

from __future__ import annotations

import os
import platform

#: The numpy dispatch groups that are AVX-512 (numpy ≥ 2.4 and older names); pass them in
#: ``NPY_DISABLE_CPU_FEATURES`` to run without AVX-512. Unknown names are ignored by numpy with a warning.
AVX512_GROUPS = "X86_V4 AVX512_ICL AVX512_SPR"
#: Environment that steers the BLAS (``OPENBLAS_CORETYPE=Haswell`` makes OpenBLAS use its AVX2 kernels).
BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE",
            "MKL_ENABLE_INSTRUCTIONS")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _simd() -> dict:
    try:
        from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
    except ImportError:  # numpy < 2
        from numpy.core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
    found = [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]
    not_found = [name for name in __cpu_dispatch__ if not __cpu_features__.get(name)]
    avx512 = [name for name, on in __cpu_features__.items() if on and name.startswith("AVX512")]
    return {
        "baseline": list(__cpu_baseline__),
        "dispatch_in_use": found,
        "dispatch_not_in_use": not_found,
        "avx512_features_in_use": avx512,
        "disabled_env": os.environ.get("NPY_DISABLE_CPU_FEATURES") or None,
    }


def _blas() -> list[dict]:
    try:
        from threadpoolctl import threadpool_info

        info = [
            {k: d.get(k) for k in ("internal_api", "version", "num_threads", "architecture", "threading_layer")}
            for d in threadpool_info()
            if d.get("user_api") == "blas"
        ]
        if info:
            return info
    except ImportError:
        pass
    try:
        import numpy as np

        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        return [{"internal_api": blas.get("name"), "version": blas.get("version"), "num_threads": None,
                 "architecture": None, "threading_layer": None}]
    except Exception:  # best effort: never fail a benchmark for its header
        return [{"internal_api": "unknown"}]


def machine(print_it: bool = True) -> dict:
    """Describe this machine (see the module docstring); print it as a short block unless ``print_it`` is False."""
    import numpy as np

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    info = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "arch": platform.machine(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "simd": _simd(),
        "blas": _blas(),
        "blas_env": {v: os.environ[v] for v in BLAS_ENV if os.environ.get(v)},
    }
    if print_it:
        print(format_machine(info))
    return info


def format_machine(info: dict) -> str:
    simd = info["simd"]
    blas = ", ".join(
        f"{b.get('internal_api')} {b.get('version') or ''}".strip()
        + (f" ({b.get('architecture')}, {b.get('num_threads')} thread(s))" if b.get("num_threads") else "")
        for b in info["blas"]
    )
    lines = [
        f"machine: {info['cpu']}, {info['cores']} cores ({info['cores_usable']} usable), {info['arch']}, "
        f"{info['os']}",
        f"python {info['python']}, numpy {info['numpy']}; SIMD baseline {' '.join(simd['baseline'])}, "
        f"dispatch in use: {' '.join(simd['dispatch_in_use']) or 'none'}"
        + (f", not in use: {' '.join(simd['dispatch_not_in_use'])}" if simd["dispatch_not_in_use"] else ""),
        f"NPY_DISABLE_CPU_FEATURES={simd['disabled_env'] or '(unset)'}; BLAS: {blas}"
        + "".join(f"; {k}={v}" for k, v in info["blas_env"].items()),
    ]
    return "\n".join(lines)


def short(info: dict) -> str:
    """One-line label for tables: CPU, cores, numpy's best SIMD in use."""
    best = info["simd"]["dispatch_in_use"][-1:] or info["simd"]["baseline"][-1:]
    off = " (NPY_DISABLE_CPU_FEATURES set)" if info["simd"]["disabled_env"] else ""
    return f"{info['cpu']}, {info['cores']} cores, numpy {info['numpy']} {' '.join(best)}{off}"


if __name__ == "__main__":
    machine()
