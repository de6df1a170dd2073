#!/usr/bin/env bash
# npm run setup:spark: installs Apache Spark for `sangloc run --engine spark` into .spark/ (a Python
# virtual environment): PyPI's pyspark (Spark's jars and spark-submit), sqlglot (renders the DuckDB
# models as Spark SQL: engine/spark/dialect.py) and rapidfuzz (the string similarities DuckDB has and
# Spark lacks). Run once, never at run time; `npm start` and `npm test` need none of it.
# Needs python3 with venv and a Java 17+ runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
PYSPARK_VERSION="${PYSPARK_VERSION:-4.3.0}"
SQLGLOT_VERSION="${SQLGLOT_VERSION:-30.31.0}"
RAPIDFUZZ_VERSION="${RAPIDFUZZ_VERSION:-3.14.6}"
if ! command -v java >/dev/null 2>&1; then
  echo "setup:spark: java not found; install a Java 17 or newer runtime (e.g. apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi
if [ ! -x .spark/bin/python ]; then
  python3 -m venv .spark
fi
want="pyspark==$PYSPARK_VERSION sqlglot==$SQLGLOT_VERSION rapidfuzz==$RAPIDFUZZ_VERSION"
if .spark/bin/python - "$PYSPARK_VERSION" "$SQLGLOT_VERSION" "$RAPIDFUZZ_VERSION" <<'PY' 2>/dev/null; then
import sys, pyspark, sqlglot, rapidfuzz
sys.exit(0 if [pyspark.__version__, sqlglot.__version__, rapidfuzz.__version__] == sys.argv[1:] else 1)
PY
  echo "setup:spark: $want already in .spark/"
else
  # shellcheck disable=SC2086
  .spark/bin/pip install --disable-pip-version-check -q $want
fi
.spark/bin/python -c "import pyspark; print('setup:spark: pyspark', pyspark.__version__, 'in .spark/')"
test -x .spark/bin/spark-submit
