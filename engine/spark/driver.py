"""
The Spark side of `sangloc run --engine spark`: a small driver run by spark-submit.

    spark-submit engine/spark/driver.py --serve SETUP.json   (jobs: files job-N.json beside it)
    spark-submit engine/spark/driver.py JOB.json             (one job, then stop)

JOB.json (written by engine/spark/submit.ts): the Spark configuration, the normalisation macros
and the SQL models as DuckDB SQL (rendered here for Spark by dialect.py), the session variables,
the Parquet inputs (the lake, and tables the engine wrote such as resolve_clusters) and the output
folder. Each model is materialised as Parquet under OUT/<model>/ (written to a temporary folder and
renamed into place once complete) and read back as the view later models select from.

Progress and the outcome go to stdout as lines starting with `SANGLOC ` followed by JSON, which the
engine parses; Spark's own log goes to stderr. Exit 0: every model written; 3: a model failed
(the line names it and carries Spark's reason); 4: the session could not start.
"""

import json
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dialect  # noqa: E402


def say(**fields):
    sys.stdout.write("SANGLOC " + json.dumps(fields, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def reason(err: BaseException) -> str:
    """Spark's reason in one line, values left out (Spark quotes a value it could not cast as 'value';
    names stay: they are in backticks)."""
    return re.sub(r"'[^'\n]*'", "'…'", _reason(err))


def _reason(err: BaseException) -> str:
    """The error class line, or for a Java error the innermost cause."""
    lines = [line.strip() for line in str(err).strip().split("\n") if line.strip()]
    if lines and lines[0].startswith("An error occurred while calling"):
        causes = [line for line in lines if line.startswith("Caused by:")]
        picked = causes[-1] if causes else next((line for line in lines[1:] if "Exception" in line), lines[0])
        return picked.replace("Caused by: ", "")[:600]
    return (lines[0] if lines else type(err).__name__)[:600]


def register_udfs(spark):
    """DuckDB functions Spark lacks, from rapidfuzz (the library DuckDB's own are taken from)."""
    from pyspark.sql.functions import udf
    from pyspark.sql.types import DoubleType, LongType, StringType

    def jaro_winkler(a, b):
        if a is None or b is None:
            return None
        from rapidfuzz.distance import JaroWinkler

        return float(JaroWinkler.similarity(a, b))

    def damerau(a, b):
        if a is None or b is None:
            return None
        from rapidfuzz.distance import DamerauLevenshtein

        return int(DamerauLevenshtein.distance(a, b))

    def nfc(s):
        import unicodedata

        return None if s is None else unicodedata.normalize("NFC", s)

    spark.udf.register("sangloc_nfc", udf(nfc, StringType()))
    spark.udf.register("sangloc_jaro_winkler", udf(jaro_winkler, DoubleType()))
    spark.udf.register("sangloc_damerau_levenshtein", udf(damerau, LongType()))


def start(setup):
    """The one SparkSession of a run: Spark settings, the UDFs and the normalisation macros."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(setup.get("app", "sangloc"))
    for k, v in setup.get("conf", {}).items():
        builder = builder.config(k, str(v))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(setup.get("log_level", "WARN"))
    register_udfs(spark)
    for stmt in dialect.render_macros(setup.get("macros", "")):
        spark.sql(stmt)
    return spark


def run_job(spark, job):
    """Registers the job's inputs as views, then builds its models in order. Returns the failing
    model's name when one fails (re-raising), None when all are written."""
    for name, inp in job.get("inputs", {}).items():
        reader = spark.read.option("basePath", inp["base"]) if inp.get("base") else spark.read
        df = reader.parquet(*inp["paths"])
        for col in inp.get("drop", []):
            if col in df.columns:
                df = df.drop(col)
        df.createOrReplaceTempView(name)
    out = job["out"]
    os.makedirs(out, exist_ok=True)
    for m in job["models"]:
        model = m["name"]
        t0 = time.time()
        try:
            def schema():
                return {
                    t.name: {f.name: f.dataType.simpleString() for f in spark.table(t.name).schema.fields}
                    for t in spark.catalog.listTables()
                    if t.isTemporary
                }

            parts = dialect.split_shared_ctes(m["sql"], job.get("variables", {}), schema=schema)
            target = os.path.join(out, model)
            tmp = target + ".partial"
            shutil.rmtree(tmp, ignore_errors=True)
            t1 = time.time()
            # the CTEs the model reads more than once, each written once and read back as a table
            shared = os.path.join(out, "_shared_ctes", model)
            shutil.rmtree(shared, ignore_errors=True)
            for view, sql in parts[:-1]:
                path = os.path.join(shared, view)
                spark.sql(sql).write.parquet(path)
                spark.read.parquet(path).createOrReplaceTempView(view)
            sql = parts[-1][1]
            df = spark.sql(sql)
            df = df.drop(*[c for c in df.columns if c.startswith("_sangloc_")])
            t2 = time.time()
            df.write.mode("overwrite").parquet(tmp)
            t3 = time.time()
            shutil.rmtree(target, ignore_errors=True)
            os.rename(tmp, target)
            df = spark.read.parquet(target)
            df.createOrReplaceTempView(model)
            for view, _ in parts[:-1]:
                spark.catalog.dropTempView(view)
            shutil.rmtree(shared, ignore_errors=True)
            rows = df.count()
            ms = lambda a, b: int((b - a) * 1000)  # noqa: E731
            # where the time went: rendering, Spark's analysis, planning and running the write
            say(event="model", model=model, rows=rows, ms=ms(t0, time.time()), render_ms=ms(t0, t1),
                analyse_ms=ms(t1, t2), write_ms=ms(t2, t3))
        except Exception as err:  # noqa: BLE001
            raise JobFailed(model, err) from err


class JobFailed(Exception):
    def __init__(self, stage, err):
        super().__init__(stage)
        self.stage = stage
        self.err = err


def next_job(folder, n, parent):
    """Waits for `job-<n>.json` (a job) or `stop` in `folder`. None: stop (also when the engine's
    process is gone, so an orphaned driver never lingers)."""
    job = os.path.join(folder, f"job-{n}.json")
    stop = os.path.join(folder, "stop")
    while True:
        if os.path.exists(job):
            return job
        if os.path.exists(stop):
            return None
        if parent:
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                return None
        time.sleep(0.05)


def open_session(setup, started):
    """The SparkSession of `setup`, announced with a `session` line; None after a `failed` line."""
    try:
        spark = start(setup)
    except Exception as err:  # noqa: BLE001
        say(event="failed", stage="session", reason=reason(err))
        return None
    say(event="session", master=spark.sparkContext.master, version=spark.version, ms=int((time.time() - started) * 1000))
    return spark


def serve(setup_path):
    """`driver.py --serve SETUP.json`: one session for the whole run. The engine hands jobs over as
    files `job-1.json`, `job-2.json` … in SETUP.json's folder (written whole, then renamed into place);
    each job ends with a `job` (or `failed`) line on stdout. A file `stop` there stops Spark.
    (The Python driver's stdin is not spark-submit's, so it cannot be the channel.)"""
    setup = json.load(open(setup_path, encoding="utf-8"))
    folder = os.path.dirname(os.path.abspath(setup_path))
    started = time.time()
    spark = open_session(setup, started)
    if spark is None:
        return 4
    status = 0
    n = 0
    try:
        while True:
            n += 1
            path = next_job(folder, n, setup.get("parent"))
            if path is None:
                break
            t0 = time.time()
            try:
                run_job(spark, json.load(open(path, encoding="utf-8")))
                say(event="job", job=n, ms=int((time.time() - t0) * 1000))
            except JobFailed as failed:
                say(event="failed", stage=failed.stage, reason=reason(failed.err))
                status = 3
            except Exception as err:  # noqa: BLE001
                say(event="failed", stage="setup", reason=reason(err))
                status = 3
        say(event="done", ms=int((time.time() - started) * 1000))
        return status
    finally:
        try:
            spark.stop()
        except Exception:  # noqa: BLE001
            pass


def main(path):
    """`driver.py JOB.json`: one job (setup and models in one file), then stop."""
    job = json.load(open(path, encoding="utf-8"))
    started = time.time()
    spark = open_session(job, started)
    if spark is None:
        return 4
    try:
        run_job(spark, job)
        say(event="done", ms=int((time.time() - started) * 1000))
        return 0
    except JobFailed as failed:
        say(event="failed", stage=failed.stage, reason=reason(failed.err))
        return 3
    except Exception as err:  # noqa: BLE001
        say(event="failed", stage="setup", reason=reason(err))
        return 3
    finally:
        try:
            spark.stop()
        except Exception:  # noqa: BLE001
            pass


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        sys.exit(serve(sys.argv[2]))
    sys.exit(main(sys.argv[1]))
