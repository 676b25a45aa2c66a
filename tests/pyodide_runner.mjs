// Runs the xlcoop wheel in real Pyodide under Node, as xlwings Lite does in Excel: install the
// wheels with micropip, load main.py, run each script on a JSON payload of a workbook.
//
// Usage: node pyodide_runner.mjs CONFIG.json   (written by tests/test_pyodide.py)
// CONFIG: {pyodide_dir, micropip_wheel, wheels: [host paths, installed in order], data_dir,
//          main_py, mode: "standin" | "xlwings", calls: [[script, args], ...]}
// The result goes to DATA_DIR/result.json. Every network request fails: Pyodide must come
// from its npm package and every wheel from a local file, never from a CDN or PyPI.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const requested = [];
const localFetch = globalThis.fetch;
globalThis.fetch = async (url, ...rest) => {
  const text = String(url?.url ?? url);
  requested.push(text);
  if (/^(https?|wss?):/i.test(text)) {
    throw new Error(`network access blocked in this test: ${text}`);
  }
  return localFetch(url, ...rest);
};

const started = Date.now();
const times = {};
const lap = (name) => { times[name] = (Date.now() - started) / 1000; };

const { loadPyodide } = await import(
  pathToFileURL(path.join(config.pyodide_dir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: config.pyodide_dir + path.sep,
  env: config.env ?? {},
  stdout: (line) => process.stderr.write(`[py] ${line}\n`),
  stderr: (line) => process.stderr.write(`[py:err] ${line}\n`),
});
lap("pyodide_loaded");
pyodide.mountNodeFS("/data", config.data_dir);
pyodide.mountNodeFS("/wheels", path.dirname(config.wheels[0]));
await pyodide.loadPackage(config.micropip_wheel);  // micropip itself, from a local wheel
lap("micropip_loaded");

pyodide.globals.set("CONFIG_JSON", JSON.stringify(config));
pyodide.globals.set("requested_urls", () => JSON.stringify(requested));
try {
  await pyodide.runPythonAsync(`
import contextlib, copy, io, json, os, sys, time

config = json.loads(CONFIG_JSON)
seconds = {}
t0 = time.perf_counter()
import micropip

# One wheel at a time, in order: dependencies first, so micropip resolves xlcoop's own
# requirements against what is installed and never needs an index.
for host_path in config["wheels"]:
    await micropip.install("emfs:/wheels/" + os.path.basename(host_path))
installed = {name: str(dist.version) for name, dist in micropip.list().items()}
seconds["install"] = time.perf_counter() - t0

with open("/home/pyodide/main.py", "w", encoding="utf-8") as f:
    f.write(config["main_py"])  # the two lines a user pastes into xlwings Lite's main.py
sys.path.insert(0, "/home/pyodide")
import xlwings as xw
import main
seconds["import"] = time.perf_counter() - t0 - seconds["install"]

with open("/data/payload.json", encoding="utf-8") as f:
    payload = json.load(f)

from xlcoop.addin.jsonbook import Book as StandIn

results = {}
meta = None
if config["mode"] == "xlwings":
    from xlwings.server import custom_scripts_call, custom_scripts_meta
    meta = custom_scripts_meta(main)  # what xlwings Lite lists in its run button's drop-down
for name, args in config["calls"]:
    out = io.StringIO()
    if config["mode"] == "xlwings":
        # xlwings' own runner, as xlwings Lite calls it (licensed: XLWINGS_LICENSE_KEY is set),
        # on xlwings' JSON Book and then on the stand-in, injected the same way
        runs = {}
        for key, book in (("actions", xw.Book(json=copy.deepcopy(payload))),
                          ("standin_actions", StandIn(copy.deepcopy(payload)))):
            with contextlib.redirect_stdout(out):
                book = await custom_scripts_call(main, name, typehint_to_value={xw.Book: book},
                                                 args=args)
            runs[key] = book.json()["actions"]
    else:
        # licence-free: xw.script leaves the functions as they are; call them on the stand-in
        book = StandIn(copy.deepcopy(payload))
        with contextlib.redirect_stdout(out):
            getattr(main, name)(book, *args)
        runs = {"actions": book.json()["actions"]}
    results[name] = {**runs, "stdout": out.getvalue()}
seconds["scripts"] = time.perf_counter() - t0 - seconds["install"] - seconds["import"]

fetched = json.loads(requested_urls())  # before the probe: must hold no http(s) URL
# The same micropip must refuse a wheel that needs an sdist-only or index-only package.
refused = None
if config.get("probe_wheel"):
    try:
        await micropip.install("emfs:/wheels/" + os.path.basename(config["probe_wheel"]))
    except Exception as exc:
        refused = f"{type(exc).__name__}: {exc}"

result = {
    "python": sys.version.split()[0], "platform": sys.platform, "installed": installed,
    "xlwings_pro": bool(getattr(xw, "__pro__", False)), "meta": meta, "results": results,
    "refused": refused, "seconds": seconds, "fetched": fetched,
    "modules": sorted({m.split(".")[0] for m in sys.modules}),
}
with open("/data/result.json", "w", encoding="utf-8") as f:
    json.dump(result, f, default=str)
`);
} catch (err) {
  process.stderr.write(`${err}\n`);
  process.exitCode = 3;
}
lap("done");
// What Node was asked to fetch (every http(s) request failed), and where the time went.
writeFileSync(path.join(config.data_dir, "runner.json"), JSON.stringify({ times, requested }));
