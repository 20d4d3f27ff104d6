"""The models the runtime must run unchanged: trained on synthetic data with fixed seeds and
exported the way users export them (skl2onnx for scikit-learn, onnxmltools for XGBoost and
LightGBM). Shared by the fixture generator (small models, committed) and the benchmark
(bigger models, generated at bench time)."""
import warnings

import numpy as np
import onnx
import onnx.helper
import pandas as pd
from onnxmltools.convert import convert_lightgbm, convert_xgboost
from onnxmltools.convert.common.data_types import FloatTensorType as MLFloat
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (GradientBoostingClassifier, GradientBoostingRegressor,
                              HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (Binarizer, LabelEncoder, MinMaxScaler, Normalizer,
                                   OneHotEncoder, StandardScaler)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
import lightgbm as lgb
import xgboost as xgb

warnings.filterwarnings("ignore")

_make_attribute = onnx.helper.make_attribute


def _ints_not_bools(key, value, *args, **kwargs):
    """skl2onnx 1.20 passes HistGradientBoosting's missing-value flags as bools, which onnx
    1.23 rejects; the ONNX attribute is a list of 0/1 ints."""
    if isinstance(value, (list, tuple, np.ndarray)) and any(isinstance(v, (bool, np.bool_)) for v in value):
        value = [int(v) for v in value]
    return _make_attribute(key, value, *args, **kwargs)


onnx.helper.make_attribute = _ints_not_bools
OPSET = {"": 17, "ai.onnx.ml": 3}


def classification(n_features=8, classes=2, n=400, seed=0):
    x, y = make_classification(n_samples=n, n_features=n_features, n_informative=min(5, n_features),
                               n_redundant=0, n_classes=classes, n_clusters_per_class=1,
                               random_state=seed)
    return x.astype(np.float32), y


def regression(n_features=8, n=400, seed=0):
    x, y = make_regression(n_samples=n, n_features=n_features, noise=0.1, random_state=seed)
    return x.astype(np.float32), (y / np.std(y)).astype(np.float32)


def skl(model, x, **options):
    return to_onnx(model, x[:1], target_opset=OPSET, options=options or None)


def with_nan(x, seed=1, share=0.05):
    rng = np.random.default_rng(seed)
    x = x.copy()
    x[rng.random(x.shape) < share] = np.nan
    return x


def single_input_models():
    """(name, onnx model, input rows) for every single float-tensor model."""
    xc, yc = classification()
    xm, ym = classification(classes=3, seed=1)
    xr, yr = regression()
    out = []
    add = lambda name, onx, x: out.append((name, onx, x))
    add("logreg_binary", skl(LogisticRegression().fit(xc, yc), xc), xc)
    add("logreg_multiclass", skl(LogisticRegression().fit(xm, ym), xm, zipmap=False), xm)
    add("linear_regression", skl(LinearRegression().fit(xr, yr), xr), xr)
    add("ridge", skl(Ridge(alpha=0.5).fit(xr, yr), xr), xr)
    add("lasso", skl(Lasso(alpha=0.01).fit(xr, yr), xr), xr)
    add("decision_tree_classifier", skl(DecisionTreeClassifier(max_depth=6, random_state=0).fit(xm, ym), xm), xm)
    add("decision_tree_regressor", skl(DecisionTreeRegressor(max_depth=6, random_state=0).fit(xr, yr), xr), xr)
    add("random_forest_classifier",
        skl(RandomForestClassifier(n_estimators=10, max_depth=6, random_state=0).fit(xm, ym), xm, zipmap=False), xm)
    add("random_forest_binary",
        skl(RandomForestClassifier(n_estimators=8, max_depth=5, random_state=0).fit(xc, yc), xc, zipmap=False), xc)
    add("random_forest_regressor",
        skl(RandomForestRegressor(n_estimators=10, max_depth=6, random_state=0).fit(xr, yr), xr), xr)
    add("gradient_boosting_classifier",
        skl(GradientBoostingClassifier(n_estimators=20, max_depth=3, random_state=0).fit(xc, yc), xc), xc)
    add("gradient_boosting_multiclass",
        skl(GradientBoostingClassifier(n_estimators=10, max_depth=3, random_state=0).fit(xm, ym), xm, zipmap=False), xm)
    add("gradient_boosting_regressor",
        skl(GradientBoostingRegressor(n_estimators=20, max_depth=3, random_state=0).fit(xr, yr), xr), xr)
    xcn = with_nan(xc)
    add("hist_gradient_boosting_classifier",
        skl(HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(xcn, yc), xcn, zipmap=False), xcn)
    xrn = with_nan(xr)
    add("hist_gradient_boosting_regressor",
        skl(HistGradientBoostingRegressor(max_iter=20, random_state=0).fit(xrn, yr), xrn), xrn)
    add("mlp_classifier",
        skl(MLPClassifier(hidden_layer_sizes=(16, 8), max_iter=300, random_state=0).fit(xm, ym), xm, zipmap=False), xm)
    add("mlp_regressor",
        skl(MLPRegressor(hidden_layer_sizes=(16,), activation="tanh", max_iter=300, random_state=0).fit(xr, yr), xr), xr)
    add("normalizer_binarizer_pipeline",
        skl(Pipeline([("norm", Normalizer()), ("bin", Binarizer(threshold=0.1)),
                      ("lr", LogisticRegression())]).fit(xc, yc), xc), xc)
    add("xgboost_classifier", xgboost_model(xgb.XGBClassifier(n_estimators=20, max_depth=4, random_state=0), xc, yc), xc)
    add("xgboost_multiclass", xgboost_model(xgb.XGBClassifier(n_estimators=10, max_depth=3, random_state=0), xm, ym), xm)
    add("xgboost_regressor", xgboost_model(xgb.XGBRegressor(n_estimators=20, max_depth=4, random_state=0), xr, yr), xr)
    add("lightgbm_classifier", lightgbm_model(lgb.LGBMClassifier(n_estimators=20, num_leaves=15, random_state=0), xc, yc), xc)
    add("lightgbm_multiclass", lightgbm_model(lgb.LGBMClassifier(n_estimators=10, num_leaves=7, random_state=0), xm, ym), xm)
    add("lightgbm_regressor", lightgbm_model(lgb.LGBMRegressor(n_estimators=20, num_leaves=15, random_state=0), xr, yr), xr)
    return out


def xgboost_model(model, x, y):
    model.fit(x, y)
    return convert_xgboost(model, initial_types=[("input", MLFloat([None, x.shape[1]]))], target_opset=15)


def lightgbm_model(model, x, y):
    model.set_params(verbose=-1)
    model.fit(x, y)
    return convert_lightgbm(model, initial_types=[("input", MLFloat([None, x.shape[1]]))],
                            target_opset=15, zipmap=False)


def column_transformer_model():
    """A Pipeline/ColumnTransformer with one input per column, as skl2onnx exports a DataFrame."""
    rng = np.random.default_rng(7)
    n = 300
    frame = pd.DataFrame({
        "age": rng.normal(40, 12, n).astype(np.float32),
        "income": rng.lognormal(10, 0.5, n).astype(np.float32),
        "tenure": rng.integers(0, 20, n).astype(np.float32),
        "city": rng.choice(["paris", "lyon", "nice", "lille"], n),
        "plan": rng.choice(["free", "pro", "team"], n),
    })
    frame.loc[rng.random(n) < 0.1, "age"] = np.nan
    y = ((frame["tenure"] > 8) ^ (frame["plan"] == "pro")).astype(int)
    pre = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="mean")), ("scale", StandardScaler())]), ["age", "income"]),
        ("mm", MinMaxScaler(), ["tenure"]),
        ("cat", OneHotEncoder(handle_unknown="ignore"), ["city", "plan"]),
    ])
    model = Pipeline([("pre", pre), ("lr", LogisticRegression())]).fit(frame, y)
    types = [(c, FloatTensorType([None, 1])) for c in ["age", "income", "tenure"]]
    types += [(c, StringTensorType([None, 1])) for c in ["city", "plan"]]
    onx = to_onnx(model, initial_types=types, target_opset=OPSET)
    rows = frame.iloc[:24].copy()
    rows.loc[rows.index[3], "city"] = "marseille"  # unknown category: ignored, as scikit-learn does
    feeds = {c: rows[[c]].to_numpy().astype(np.float32) for c in ["age", "income", "tenure"]}
    feeds.update({c: rows[[c]].to_numpy().astype(object) for c in ["city", "plan"]})
    return onx, feeds


def label_encoder_model():
    enc = LabelEncoder().fit(["bike", "bus", "car", "train", "walk"])
    onx = to_onnx(enc, np.array(["car"]), target_opset=OPSET)
    return onx, {next(iter([i.name for i in onx.graph.input])): np.array(["bus", "walk", "car", "plane", "bike"])}


def random_forest_headline(seed=0):
    """The benchmark headline: RandomForest, 100 trees, depth 8, 20 features."""
    x, y = classification(n_features=20, n=2000, seed=seed)
    rf = RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0).fit(x, y)
    return skl(rf, x, zipmap=False), x
