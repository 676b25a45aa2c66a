"""Run every benchmark: `python -m benchmarks`."""

from benchmarks import bench_audit, bench_generate, bench_solve

if __name__ == "__main__":
    for module in (bench_generate, bench_solve, bench_audit):
        for line in module.run():
            print(line)
