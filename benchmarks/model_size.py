"""Build and solve the national siting LP at 1, 288 and 8760 time slices.

For each resolution this records, for the direct LP, PuLP build time, the
hand-over to HiGHS and the solve (through PuLP), peak memory and model size,
and, as the lower bound, the same matrix passed to HiGHS directly
(``highspy.Highs.passModel``) and solved with the same options; and for the
Benders decomposition (:mod:`siting.model.benders`) its build and solve time,
iterations and gap, and its objective against the direct LP's.

Run: ``python benchmarks/model_size.py [--direct-hours]`` (``--direct-hours``
adds the direct LP at 8760 slices, which takes more than 25 minutes). Each
case runs in a fresh subprocess so peak memory (``ru_maxrss``) is per case.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

CASES = {
    "average (1 slice)": {"resolution": "average"},
    "12 representative days (288 slices)": {"resolution": "days", "representative_days": 12},
    "8760 hours": {"resolution": "hours"},
}


def run_benders(name: str) -> dict:
    import siting

    scn = siting.Scenario.preset("all-sites", **CASES[name])
    t0 = time.perf_counter()
    res = siting.solve(scn, method="benders")
    total = time.perf_counter() - t0
    return {
        "case": name,
        "method": "benders",
        "build_s": round(res.timings["build_s"], 2),
        "solve_s": round(res.timings["solve_s"], 2),
        "total_s": round(total, 2),
        "iterations": res.timings["benders_iterations"],
        "gap": res.timings["benders_gap"],
        "peak_mem_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "objective_cny": res.objective_cny,
    }


def run_case(name: str) -> dict:
    import highspy
    import numpy as np

    import siting
    from siting.model.build import build
    from siting.model.optimize import engine

    t0 = time.perf_counter()
    scn = siting.Scenario.preset("all-sites", **CASES[name])
    t_scn = time.perf_counter() - t0
    t0 = time.perf_counter()
    model = build(scn)  # the direct LP
    t_build = time.perf_counter() - t0
    size = model.size
    solver = engine("highs", model, None, None, None, False, "auto")
    options = dict(solver.optionsDict)
    t0 = time.perf_counter()
    model.problem.solve(solver)
    t_pulp = time.perf_counter() - t0
    status = str(model.problem.solverModel.getModelStatus())
    objective = model.problem.objective.value()

    # the same LP, handed to HiGHS directly from arrays
    variables = model.problem.variables()
    index = {v.name: i for i, v in enumerate(variables)}
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = len(variables)
    lp.num_row_ = len(model.problem.constraints)
    lp.col_cost_ = np.array([model.problem.objective.get(v, 0.0) for v in variables])
    lp.col_lower_ = np.array([inf * -1 if v.lowBound is None else v.lowBound for v in variables], dtype=float)
    lp.col_upper_ = np.array([inf if v.upBound is None else v.upBound for v in variables], dtype=float)
    starts, idx, vals, lower, upper = [0], [], [], [], []
    for c in model.problem.constraints.values():
        for v, a in c.items():
            idx.append(index[v.name])
            vals.append(a)
        starts.append(len(idx))
        rhs = -c.constant
        lower.append(rhs if c.sense >= 0 else -inf)
        upper.append(rhs if c.sense <= 0 else inf)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(idx, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(vals)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for k, v in options.items():
        h.setOptionValue(k, v)
    t0 = time.perf_counter()
    h.passModel(lp)
    h.run()
    t_direct = time.perf_counter() - t0
    direct_obj = h.getInfo().objective_function_value
    return {
        "case": name,
        "slices": len(model.slices),
        **size,
        "scenario_s": round(t_scn, 2),
        "build_s": round(t_build, 2),
        "pulp_solve_s": round(t_pulp, 2),
        "highs_direct_s": round(t_direct, 2),
        "build_share": round(t_build / (t_build + t_pulp), 3),
        "peak_mem_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "status": status,
        "objective_cny": objective,
        "objective_rel_diff_direct": abs(direct_obj - objective) / abs(objective),
        "algorithm": options.get("solver"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--direct-hours", action="store_true", help="also run the direct LP at 8760 slices")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--method", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        run = run_benders if args.method == "benders" else run_case
        print(json.dumps(run(args.case)))
        return
    jobs = [(n, "direct") for n in CASES if args.direct_hours or n != "8760 hours"]
    jobs += [(n, "benders") for n in CASES if n != "average (1 slice)"]
    rows = []
    for name, method in jobs:
        out = subprocess.run(
            [sys.executable, __file__, "--case", name, "--method", method], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    direct = [r for r in rows if "pulp_solve_s" in r]
    cols = ["case", "variables", "constraints", "nonzeros", "build_s", "pulp_solve_s", "highs_direct_s", "build_share", "peak_mem_mb"]
    print("\nDirect LP\n\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in direct:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    objective = {r["case"]: r["objective_cny"] for r in direct}
    cols = ["case", "build_s", "solve_s", "total_s", "iterations", "gap", "peak_mem_mb"]
    print("\nBenders\n\n| " + " | ".join(cols) + " | objective vs direct |\n|" + "---|" * (len(cols) + 1))
    for r in rows:
        if r.get("method") == "benders":
            ref = objective.get(r["case"])
            diff = "n/a" if ref is None else f"{(r['objective_cny'] - ref) / ref:.1e}"
            print("| " + " | ".join(str(r[c]) if c != "gap" else f"{r[c]:.1e}" for c in cols) + f" | {diff} |")


if __name__ == "__main__":
    main()
