"""Keras building blocks, part 1: data sources.

A data source returns a ``Data`` record: the (unindented) statements that load the arrays or ``tf.data``
datasets, the names they bind, and what a model for them must look like (input shape, task, classes).
``corpus_blocks_model.py`` builds a model that fits it and ``corpus_blocks_train.py`` trains it.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_blocks import COLUMNS, TARGETS, Ctx, dd

NAME_SCHEMES = (
    ("x_train", "y_train", "x_test", "y_test"),
    ("X_train", "y_train", "X_test", "y_test"),
    ("train_images", "train_labels", "test_images", "test_labels"),
    ("train_x", "train_y", "test_x", "test_y"),
    ("x_tr", "y_tr", "x_val", "y_val"),
)


@dataclass
class Data:
    code: str
    kind: str  # "image", "flat", "seq", "ts"
    shape: tuple[int, ...]
    task: str  # "multiclass" (one-hot), "sparse", "binary", "regression"
    n_classes: int
    names: tuple[str, str, str, str]
    desc: str
    train_ds: str | None = None  # fit on a tf.data dataset instead of arrays
    val_ds: str | None = None
    vocab: int = 0
    rescale: bool = False  # pixels left in [0, 255] on purpose: the model starts with a Rescaling layer


def _names(ctx: Ctx, image: bool = False) -> tuple[str, str, str, str]:
    if image:
        return ctx.choice(NAME_SCHEMES)
    return ctx.choice([s for s in NAME_SCHEMES if "images" not in s[0]])


def _labels(ctx: Ctx, data: Data, y_names: tuple[str, str]) -> str:
    """Turn integer labels into what ``data.task`` says (one-hot for "multiclass")."""
    if data.task != "multiclass":
        return ""
    to_cat = ctx.ref("utils", "to_categorical")
    return "".join(f"{y} = {to_cat}({y}, {data.n_classes})\n" for y in y_names)


def keras_image_dataset(ctx: Ctx) -> Data:
    np = ctx.np()
    which = ctx.choice(("mnist", "mnist", "fashion_mnist", "cifar10", "cifar10", "cifar100"))
    mode, value = ctx.style.ns["datasets"]
    if mode == "direct":
        ctx.ref("datasets", which)
        loader = f"{which}.load_data()"
    else:
        loader = f"{value}{which}.load_data()"
    xtr, ytr, xte, yte = _names(ctx, image=True)
    side, channels = (28, 1) if "mnist" in which else (32, 3)
    classes = 100 if which == "cifar100" else 10
    task = ctx.choice(("multiclass", "multiclass", "sparse"))
    lines = [f"({xtr}, {ytr}), ({xte}, {yte}) = {loader}"]
    layout = ctx.choice(("cnn", "cnn", "flat", "raw")) if channels == 1 else ctx.choice(("cnn", "cnn", "raw"))
    rescale = layout == "cnn" and ctx.chance(0.1)
    scale = rescale or not ctx.bug(0.3 if "mnist" in which else 0.2, "unscaled-images")
    divisor = ctx.choice(("255.0", "255", "255.", "np.float32(255)"))
    if divisor.startswith("np."):
        divisor = f"{np}.float32(255)"
    for x in (xtr, xte):
        if layout == "flat":
            lines.append(f"{x} = {x}.reshape(-1, {side * side})")
        elif layout == "cnn" and channels == 1:
            lines.append(ctx.choice((f"{x} = {x}.reshape(-1, {side}, {side}, 1)",
                                     f"{x} = {np}.expand_dims({x}, -1)")))
        if scale and not rescale:
            lines.append(ctx.choice((f'{x} = {x}.astype("float32") / {divisor}', f"{x} = {x} / {divisor}")))
        else:
            lines.append(f'{x} = {x}.astype("float32")')
    shape: tuple[int, ...]
    if layout == "flat":
        shape = (side * side,)
    elif layout == "cnn":
        shape = (side, side, channels)
    else:
        shape = (side, side) if channels == 1 else (side, side, channels)
    if ctx.chance(0.3):
        lines.append(f'print({xtr}.shape, {xte}.shape, "train/test")')
    data = Data("", "flat" if layout == "flat" else "image", shape, task, classes, (xtr, ytr, xte, yte),
                which.replace("_", " "), rescale=rescale)
    code = "\n".join(lines) + "\n" + _labels(ctx, data, (ytr, yte))
    data.code = code
    return data


def keras_text_dataset(ctx: Ctx) -> Data:
    which = ctx.choice(("imdb", "imdb", "reuters"))
    mode, value = ctx.style.ns["datasets"]
    vocab = ctx.choice((5000, 10000, 20000))
    maxlen = ctx.choice((80, 100, 200, 250, 400))
    if mode == "direct":
        ctx.ref("datasets", which)
        loader = f"{which}.load_data(num_words={vocab})"
    else:
        loader = f"{value}{which}.load_data(num_words={vocab})"
    pad = ctx.ref("preprocessing", "pad_sequences")
    xtr, ytr, xte, yte = _names(ctx)
    maxlen_name = ctx.fresh("MAXLEN", "MAX_LEN", "maxlen")
    vocab_name = ctx.fresh("VOCAB_SIZE", "MAX_FEATURES", "max_features")
    code = dd(f"""
        {vocab_name} = {vocab}
        {maxlen_name} = {maxlen}
        ({xtr}, {ytr}), ({xte}, {yte}) = {loader.replace(str(vocab), vocab_name)}
        print(len({xtr}), "train sequences")
        print(len({xte}), "test sequences")
        {xtr} = {pad}({xtr}, maxlen={maxlen_name})
        {xte} = {pad}({xte}, maxlen={maxlen_name}, padding="{ctx.choice(("pre", "post"))}")
    """)
    task, classes = ("binary", 1) if which == "imdb" else (ctx.choice(("multiclass", "sparse")), 46)
    data = Data("", "seq", (maxlen,), task, classes, (xtr, ytr, xte, yte), which, vocab=vocab)
    data.code = code + _labels(ctx, data, (ytr, yte))
    return data


def pandas_tabular(ctx: Ctx) -> Data:
    ctx.imp("import pandas as pd")
    ctx.imp("from sklearn.model_selection import train_test_split")
    cols = ctx.rng.sample(COLUMNS, ctx.randint(4, 9))
    target = ctx.choice(TARGETS)
    task = ctx.choice(("binary", "binary", "regression", "regression", "sparse", "multiclass"))
    classes = {"binary": 1, "regression": 1}.get(task, ctx.randint(3, 8))
    xtr, ytr, xte, yte = _names(ctx)
    path = ctx.choice((f'"data/{ctx.project}.csv"', '"input/train.csv"', f'"{ctx.project}_train.csv"'))
    lines = [f"df = pd.read_csv({path})"]
    if ctx.chance(0.6):
        lines.append(ctx.choice(("df = df.dropna()", f'df = df.dropna(subset=["{target}"])',
                                 "df = df.fillna(df.median(numeric_only=True))")))
    if ctx.chance(0.4):
        lines.append(ctx.choice(("print(df.describe())", "print(df.head())", "df.info()")))
    lines.append(f"features = {cols!r}")
    lines.append(ctx.choice((f"X = df[features].values", f'X = df[features].to_numpy(dtype="float32")')))
    if task == "regression":
        lines.append(f'y = df["{target}"].values')
    else:
        lines.append(f'y = df["{target}"].astype(int).values')
    size = ctx.choice((0.2, 0.25, 0.3, 0.15))
    lines.append(f"{xtr}, {xte}, {ytr}, {yte} = train_test_split(X, y, test_size={size}, "
                 f"random_state={ctx.randint(0, 100)})")
    if not ctx.bug(0.25, "unscaled-tabular"):
        scaler = ctx.choice(("StandardScaler", "StandardScaler", "MinMaxScaler"))
        ctx.imp(f"from sklearn.preprocessing import {scaler}")
        lines.append(f"scaler = {scaler}()")
        lines.append(f"{xtr} = scaler.fit_transform({xtr})")
        lines.append(f"{xte} = scaler.transform({xte})")
    data = Data("", "flat", (len(cols),), task, classes, (xtr, ytr, xte, yte), f"{ctx.project} table")
    data.code = "\n".join(lines) + "\n" + _labels(ctx, data, (ytr, yte))
    return data


def boston_housing(ctx: Ctx) -> Data:
    np = ctx.np()
    mode, value = ctx.style.ns["datasets"]
    if mode == "direct":
        ctx.ref("datasets", "boston_housing")
        loader = "boston_housing.load_data()"
    else:
        loader = f"{value}boston_housing.load_data()"
    xtr, ytr, xte, yte = _names(ctx)
    if ctx.bug(0.3, "unscaled-tabular"):
        norm = ""
    else:
        norm = dd(f"""
            mean = {xtr}.mean(axis=0)
            std = {xtr}.std(axis=0)
            {xtr} = ({xtr} - mean) / std
            {xte} = ({xte} - mean) / std
        """)
    code = f"({xtr}, {ytr}), ({xte}, {yte}) = {loader}\n" + norm
    if ctx.chance(0.3):
        code += f'print("median price:", {np}.median({ytr}))\n'
    return Data(code, "flat", (13,), "regression", 1, (xtr, ytr, xte, yte), "boston housing")


def synthetic_numpy(ctx: Ctx) -> Data:
    np = ctx.np()
    n = ctx.choice((1000, 2000, 5000, 10000))
    d = ctx.choice((8, 10, 16, 20, 32, 64))
    task = ctx.choice(("binary", "regression", "multiclass", "sparse"))
    classes = {"binary": 1, "regression": 1}.get(task, ctx.randint(3, 10))
    xtr, ytr, xte, yte = _names(ctx)
    rng = ctx.fresh("rng", "generator")
    lines = [f"{rng} = {np}.random.default_rng({ctx.randint(0, 999)})",
             f'features = {rng}.normal(size=({n}, {d})).astype("float32")',
             f"weights = {rng}.normal(size=({d},))"]
    if task == "binary":
        lines.append("labels = (features @ weights > 0).astype(\"float32\")")
    elif task == "regression":
        lines.append(f"labels = features @ weights + {rng}.normal(scale=0.1, size={n})")
    else:
        lines.append(f"labels = {np}.digitize(features @ weights, {np}.linspace(-2, 2, {classes - 1}))")
    split = int(n * ctx.choice((0.8, 0.75, 0.9)))
    lines += [f"{xtr}, {xte} = features[:{split}], features[{split}:]",
              f"{ytr}, {yte} = labels[:{split}], labels[{split}:]"]
    data = Data("", "flat", (d,), task, classes, (xtr, ytr, xte, yte), "synthetic data")
    data.code = "\n".join(lines) + "\n" + _labels(ctx, data, (ytr, yte))
    return data


def timeseries_windows(ctx: Ctx) -> Data:
    np = ctx.np()
    ctx.imp("import pandas as pd")
    steps = ctx.choice((24, 30, 48, 60, 100))
    col = ctx.choice(("temperature", "load", "price", "demand", "sales", "value"))
    feats = ctx.randint(1, 6)
    xtr, ytr, xte, yte = _names(ctx)
    make = ctx.fresh("make_windows", "to_sequences", "create_dataset")
    scale = "" if ctx.bug(0.3, "unscaled-series") else (
        "series = (series - series[:split].mean(axis=0)) / series[:split].std(axis=0)\n")
    code = dd(f"""
        frame = pd.read_csv("{ctx.choice(("data", "input"))}/{col}.csv", parse_dates=["timestamp"])
        frame = frame.sort_values("timestamp").interpolate()
        series = frame.iloc[:, 1:{feats + 1}].to_numpy(dtype="float32")
        split = int(len(series) * 0.8)


        def {make}(values, steps={steps}):
            xs, ys = [], []
            for start in range(len(values) - steps):
                xs.append(values[start:start + steps])
                ys.append(values[start + steps, 0])
            return {np}.array(xs), {np}.array(ys)
    """)
    code += "\n\n" + scale + f"{xtr}, {ytr} = {make}(series[:split])\n{xte}, {yte} = {make}(series[split:])\n"
    return Data(code, "ts", (steps, feats), "regression", 1, (xtr, ytr, xte, yte), f"{col} series")


def to_tf_data(ctx: Ctx, data: Data) -> Data:
    """Wrap array data into ``tf.data`` pipelines (shuffle, batch, prefetch; sometimes a map)."""
    tf = ctx.tf()
    xtr, ytr, xte, yte = data.names
    train, val = ctx.choice((("train_ds", "val_ds"), ("train_dataset", "test_dataset"), ("ds_train", "ds_test")))
    batch = ctx.choice((32, 64, 128, 256))
    lines = [data.code.rstrip("\n"), ""]
    mapper = ""
    if data.kind == "image" and ctx.chance(0.4):
        fn = ctx.fresh("augment", "random_augment", "train_map")
        lines += [f"def {fn}(image, label):",
                  f"    image = {tf}.image.random_flip_left_right(image)" if len(data.shape) == 3
                  else "    image = image + 0.0",
                  "    return image, label", "", ""]
        mapper = f".map({fn}, num_parallel_calls={tf}.data.AUTOTUNE)"
    autotune = ctx.choice((f"{tf}.data.AUTOTUNE", f"{tf}.data.experimental.AUTOTUNE", "2"))
    lines.append(f"{train} = (\n    {tf}.data.Dataset.from_tensor_slices(({xtr}, {ytr}))\n"
                 f"    .shuffle({ctx.choice((1000, 10000, 'len(' + xtr + ')'))})\n"
                 f"    .batch({batch}){mapper}\n    .prefetch({autotune})\n)")
    lines.append(f"{val} = {tf}.data.Dataset.from_tensor_slices(({xte}, {yte})).batch({batch})")
    data.code = "\n".join(lines) + "\n"
    data.train_ds, data.val_ds = train, val
    return data


DATA_SOURCES = (
    (keras_image_dataset, 30),
    (keras_text_dataset, 12),
    (pandas_tabular, 22),
    (boston_housing, 6),
    (synthetic_numpy, 18),
    (timeseries_windows, 12),
)


def pick_data(ctx: Ctx) -> Data:
    source = ctx.rng.choices([s for s, _ in DATA_SOURCES], weights=[w for _, w in DATA_SOURCES], k=1)[0]
    data = source(ctx)
    if data.kind != "ts" and ctx.chance(0.25):
        data = to_tf_data(ctx, data)
    return data
