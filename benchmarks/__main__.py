"""Run every benchmark: `python -m benchmarks`."""

from benchmarks import bench_generate

if __name__ == "__main__":
    for module in (bench_generate,):
        for line in module.run():
            print(line)
