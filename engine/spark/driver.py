"""
The Spark side of `sangloc run --engine spark`: a small driver run by spark-submit.

    spark-submit engine/spark/driver.py JOB.json

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
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dialect  # noqa: E402


def say(**fields):
    sys.stdout.write("SANGLOC " + json.dumps(fields, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def reason(err: BaseException) -> str:
    """Spark's reason in one line: the error class line, or for a Java error the innermost cause."""
    lines = [line.strip() for line in str(err).strip().split("\n") if line.strip()]
    if lines and lines[0].startswith("An error occurred while calling"):
        causes = [line for line in lines if line.startswith("Caused by:")]
        picked = causes[-1] if causes else next((line for line in lines[1:] if "Exception" in line), lines[0])
        return picked.replace("Caused by: ", "")[:600]
    return (lines[0] if lines else type(err).__name__)[:600]


def register_udfs(spark):
    """DuckDB functions Spark lacks, from rapidfuzz (the library DuckDB's own are taken from)."""
    from pyspark.sql.functions import udf
    from pyspark.sql.types import DoubleType, LongType

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

    spark.udf.register("sangloc_jaro_winkler", udf(jaro_winkler, DoubleType()))
    spark.udf.register("sangloc_damerau_levenshtein", udf(damerau, LongType()))


def main(path):
    job = json.load(open(path, encoding="utf-8"))
    started = time.time()
    try:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.appName(job.get("app", "sangloc"))
        for k, v in job.get("conf", {}).items():
            builder = builder.config(k, str(v))
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel(job.get("log_level", "WARN"))
    except Exception as err:  # noqa: BLE001
        say(event="failed", stage="session", reason=reason(err))
        return 4
    say(event="session", master=spark.sparkContext.master, version=spark.version, ms=int((time.time() - started) * 1000))
    model = None
    try:
        register_udfs(spark)
        for stmt in dialect.render_macros(job.get("macros", "")):
            spark.sql(stmt)
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
            schema = {
                t.name: {f.name: f.dataType.simpleString() for f in spark.table(t.name).schema.fields}
                for t in spark.catalog.listTables()
                if t.isTemporary
            }
            sql = dialect.render(m["sql"], job.get("variables", {}), schema=schema)
            target = os.path.join(out, model)
            tmp = target + ".partial"
            shutil.rmtree(tmp, ignore_errors=True)
            df = spark.sql(sql)
            df = df.drop(*[c for c in df.columns if c.startswith("_sangloc_")])
            df.write.mode("overwrite").parquet(tmp)
            shutil.rmtree(target, ignore_errors=True)
            os.rename(tmp, target)
            df = spark.read.parquet(target)
            df.createOrReplaceTempView(model)
            say(event="model", model=model, rows=df.count(), ms=int((time.time() - t0) * 1000))
        model = None
        say(event="done", ms=int((time.time() - started) * 1000))
        return 0
    except Exception as err:  # noqa: BLE001
        say(event="failed", stage=model or "setup", reason=reason(err))
        return 3
    finally:
        try:
            spark.stop()
        except Exception:  # noqa: BLE001
            pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
