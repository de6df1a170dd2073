"""scikit-learn peer for bench/forest.ts: fits and predicts RandomForestClassifier on the exact
matrices the TypeScript benchmark wrote, single-threaded, and prints one JSON line.

usage: python3 bench/sklearn_peer.py DIR TREES MAX_DEPTH SEED
DIR holds meta.json ({"n_train", "n_test", "d"}), train_X.f64 / test_X.f64 (row-major float64)
and train_y.u8 / test_y.u8 (0/1 labels).
"""
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score


def main() -> None:
    folder, trees, depth, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    d = meta["d"]
    X_train = np.fromfile(os.path.join(folder, "train_X.f64"), dtype="<f8").reshape(meta["n_train"], d)
    y_train = np.fromfile(os.path.join(folder, "train_y.u8"), dtype=np.uint8)
    X_test = np.fromfile(os.path.join(folder, "test_X.f64"), dtype="<f8").reshape(meta["n_test"], d)
    y_test = np.fromfile(os.path.join(folder, "test_y.u8"), dtype=np.uint8)

    model = RandomForestClassifier(
        n_estimators=trees, max_depth=depth, max_features="sqrt", n_jobs=1, random_state=seed
    )
    started, cpu = time.perf_counter(), time.process_time()
    model.fit(X_train, y_train)
    fit_s, fit_cpu_s = time.perf_counter() - started, time.process_time() - cpu

    started, cpu = time.perf_counter(), time.process_time()
    scores = model.predict_proba(X_test)[:, 1]
    predict_s, predict_cpu_s = time.perf_counter() - started, time.process_time() - cpu

    print(json.dumps({
        "sklearn": sklearn.__version__,
        "fit_s": fit_s,
        "predict_s": predict_s,
        "fit_cpu_s": fit_cpu_s,
        "predict_cpu_s": predict_cpu_s,
        "auc": float(roc_auc_score(y_test, scores)),
        "n_train": meta["n_train"],
        "n_test": meta["n_test"],
        "d": d,
    }))


if __name__ == "__main__":
    main()
