"""Ordinary-Python building blocks, part 2 (features, numpy, pandas, reports, search).

Like part 1, these never mention Keras or TensorFlow.
"""

from __future__ import annotations

from corpus_blocks import COLUMNS, STDLIB, TARGETS, Ctx, dd, doc, put


def feature_engineering(ctx: Ctx) -> str:
    cats = ctx.rng.sample(("city", "country", "device", "plan", "channel", "segment", "region", "color"), 3)
    num = ctx.rng.sample(COLUMNS, 3)
    onehot = ctx.fresh("one_hot_categories", "encode_categorical", "dummy_encode")
    bucket = ctx.fresh("bucketize", "to_bucket", "bin_value")
    feats = ctx.fresh("row_features", "featurize", "make_features")
    edges = sorted(ctx.rng.sample(range(5, 200, 5), 4))
    text = dd(f"""
        CATEGORICAL = {cats!r}
        NUMERIC = {num!r}
        BUCKET_EDGES = {edges!r}


        def {onehot}(rows, column):
            values = sorted({{row.get(column, "unknown") for row in rows}})
            index = {{value: i for i, value in enumerate(values)}}
            encoded = []
            for row in rows:
                vector = [0] * len(values)
                vector[index[row.get(column, "unknown")]] = 1
                encoded.append(vector)
            return encoded, values


        def {bucket}(value, edges=BUCKET_EDGES):
            for position, edge in enumerate(edges):
                if value < edge:
                    return position
            return len(edges)


        def {feats}(row):
            #@D
            features = []
            for column in NUMERIC:
                value = row.get(column)
                features.append(0.0 if value is None else float(value))
                features.append(1.0 if value is None else 0.0)  # missing indicator
            features.append(float({bucket}(features[0])))
            return features
    """)
    return doc(text, "D", ctx, "Numeric features plus missing-value indicators for one row.")


def numpy_augment(ctx: Ctx) -> str:
    np = ctx.np()
    flip = ctx.fresh("random_flip", "flip_horizontal", "maybe_flip")
    crop = ctx.fresh("random_crop", "crop_patch")
    noise = ctx.fresh("add_noise", "gaussian_noise", "jitter")
    sigma = ctx.choice((0.01, 0.05, 0.1))
    return dd(f"""
        def {flip}(image, rng, p=0.5):
            if rng.random() < p:
                return image[:, ::-1, ...]
            return image


        def {crop}(image, size, rng):
            height, width = image.shape[:2]
            top = rng.integers(0, height - size + 1)
            left = rng.integers(0, width - size + 1)
            return image[top:top + size, left:left + size, ...]


        def {noise}(batch, rng, sigma={sigma}):
            return batch + rng.normal(0.0, sigma, size=batch.shape).astype(batch.dtype)


        def augment_batch(batch, size, seed=0):
            rng = {np}.random.default_rng(seed)
            out = [{crop}({flip}(image, rng), size, rng) for image in batch]
            return {noise}({np}.stack(out), rng)
    """)


def numpy_stats(ctx: Ctx) -> str:
    np = ctx.np()
    zs = ctx.fresh("standardize", "zscore", "fit_standardizer")
    mm = ctx.fresh("min_max_scale", "rescale_columns")
    clip = ctx.choice((3.0, 4.0, 5.0))
    return dd(f"""
        def {zs}(array, axis=0, eps=1e-8):
            mean = array.mean(axis=axis, keepdims=True)
            std = array.std(axis=axis, keepdims=True)
            return (array - mean) / (std + eps), mean, std


        def {mm}(array, low=0.0, high=1.0):
            lo = array.min(axis=0)
            hi = array.max(axis=0)
            span = {np}.where(hi - lo == 0, 1.0, hi - lo)
            return low + (array - lo) / span * (high - low)


        def clip_outliers(array, limit={clip}):
            mean, std = array.mean(axis=0), array.std(axis=0) + 1e-12
            return {np}.clip(array, mean - limit * std, mean + limit * std)


        def class_weights(labels):
            classes, counts = {np}.unique(labels, return_counts=True)
            total = counts.sum()
            return {{int(c): float(total / (len(classes) * n)) for c, n in zip(classes, counts)}}
    """)


def pandas_cleaning(ctx: Ctx) -> str:
    ctx.imp("import pandas as pd")
    cols = ctx.rng.sample(COLUMNS, ctx.randint(3, 6))
    target = ctx.choice(TARGETS)
    clean = ctx.fresh("clean_frame", "tidy_dataframe", "preprocess_frame")
    summary = ctx.fresh("describe_frame", "summarize_frame")
    fill = ctx.choice(("median", "mean"))
    text = dd(f"""
        NUMERIC_COLUMNS = {cols!r}


        def {clean}(df, target="{target}"):
            #@D
            df = df.copy()
            df.columns = [c.strip().lower().replace(" ", "_") for c in df.columns]
            df = df.drop_duplicates()
            df = df[df[target].notna()]
            for column in NUMERIC_COLUMNS:
                if column in df:
                    df[column] = pd.to_numeric(df[column], errors="coerce")
                    df[column] = df[column].fillna(df[column].{fill}())
            categorical = [c for c in df.columns if df[c].dtype == object and c != target]
            for column in categorical:
                df[column] = df[column].fillna("missing").astype("category")
            return df


        def {summary}(df):
            rows = []
            for column in df.columns:
                series = df[column]
                rows.append({{
                    "column": column,
                    "dtype": str(series.dtype),
                    "missing": int(series.isna().sum()),
                    "unique": int(series.nunique()),
                }})
            return pd.DataFrame(rows).sort_values("missing", ascending=False)
    """)
    return doc(text, "D", ctx, "Normalise column names, drop duplicates and fill missing numeric values.")


def lru_cache_class(ctx: Ctx) -> str:
    ctx.imp("from collections import OrderedDict", STDLIB)
    cls = ctx.fresh("LRUCache", "BoundedCache", "RecentItems")
    cap = ctx.choice((64, 128, 256, 1024))
    return dd(f"""
        class {cls}:
            def __init__(self, capacity={cap}):
                self.capacity = capacity
                self._items = OrderedDict()
                self.hits = 0
                self.misses = 0

            def get(self, key, default=None):
                if key in self._items:
                    self._items.move_to_end(key)
                    self.hits += 1
                    return self._items[key]
                self.misses += 1
                return default

            def put(self, key, value):
                self._items[key] = value
                self._items.move_to_end(key)
                while len(self._items) > self.capacity:
                    self._items.popitem(last=False)

            def __contains__(self, key):
                return key in self._items

            def __len__(self):
                return len(self._items)

            def hit_rate(self):
                total = self.hits + self.misses
                return self.hits / total if total else 0.0
    """)


def kfold_block(ctx: Ctx) -> str:
    ctx.std("random")
    kf = ctx.fresh("kfold_indices", "make_folds", "cross_validation_splits")
    tts = ctx.fresh("train_test_indices", "holdout_split", "random_split")
    k = ctx.choice((3, 5, 10))
    return dd(f"""
        def {kf}(n, k={k}, seed=0):
            order = list(range(n))
            random.Random(seed).shuffle(order)
            folds = [order[i::k] for i in range(k)]
            for i in range(k):
                valid = sorted(folds[i])
                train = sorted(idx for j, fold in enumerate(folds) if j != i for idx in fold)
                yield train, valid


        def {tts}(n, fraction=0.2, seed=0):
            order = list(range(n))
            random.Random(seed).shuffle(order)
            cut = int(n * (1 - fraction))
            return sorted(order[:cut]), sorted(order[cut:])


        def stratified_counts(labels, indices):
            counts = {{}}
            for index in indices:
                counts[labels[index]] = counts.get(labels[index], 0) + 1
            return dict(sorted(counts.items()))
    """)


def grid_search(ctx: Ctx) -> str:
    ctx.std("itertools")
    grid = ctx.fresh("param_grid", "search_space", "GRID")
    it = ctx.fresh("iter_grid", "expand_grid", "grid_points")
    best = ctx.fresh("best_params", "pick_best")
    units = ctx.rng.sample((16, 32, 64, 128, 256, 512), 3)
    rates = ctx.rng.sample((0.0, 0.1, 0.2, 0.3, 0.5), 2)
    lrs = ctx.rng.sample((1e-2, 3e-3, 1e-3, 3e-4, 1e-4), 3)
    return dd(f"""
        {grid} = {{
            "units": {sorted(units)!r},
            "dropout": {sorted(rates)!r},
            "learning_rate": {sorted(lrs)!r},
        }}


        def {it}(grid):
            keys = sorted(grid)
            for values in itertools.product(*(grid[k] for k in keys)):
                yield dict(zip(keys, values))


        def {best}(results, metric="val_loss", mode="min"):
            if not results:
                raise ValueError("no results to choose from")
            chooser = min if mode == "min" else max
            return chooser(results, key=lambda r: r[metric])
    """)


def smoothing_block(ctx: Ctx) -> str:
    ema = ctx.fresh("exponential_moving_average", "ema", "smooth_curve")
    ma = ctx.fresh("moving_average", "rolling_mean")
    weight = ctx.choice((0.6, 0.8, 0.9, 0.95))
    return dd(f"""
        def {ema}(values, weight={weight}):
            smoothed, last = [], None
            for value in values:
                last = value if last is None else last * weight + (1 - weight) * value
                smoothed.append(last)
            return smoothed


        def {ma}(values, window={ctx.choice((3, 5, 7, 10))}):
            out = []
            total = 0.0
            for index, value in enumerate(values):
                total += value
                if index >= window:
                    total -= values[index - window]
                out.append(total / min(index + 1, window))
            return out


        def find_plateau(values, patience={ctx.randint(2, 8)}, min_delta={ctx.choice((1e-4, 1e-3, 0.01))}):
            best, wait = float("inf"), 0
            for index, value in enumerate(values):
                if value < best - min_delta:
                    best, wait = value, 0
                else:
                    wait += 1
                    if wait >= patience:
                        return index
            return None
    """)


def report_block(ctx: Ctx) -> str:
    ctx.std("os")
    ctx.imp("from datetime import datetime", STDLIB)
    table = ctx.fresh("markdown_table", "to_markdown", "render_table")
    write = ctx.fresh("write_report", "save_summary", "dump_report")
    fmt = ctx.choice(("{:.4f}", "{:.3f}", "{:.2%}"))
    text = dd(f"""
        def {table}(rows, columns=None):
            if not rows:
                return ""
            columns = columns or list(rows[0])
            lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
            for row in rows:
                cells = []
                for column in columns:
                    value = row.get(column, "")
                    cells.append("{fmt}".format(value) if isinstance(value, float) else str(value))
                lines.append("| " + " | ".join(cells) + " |")
            return "\\n".join(lines)


        def {write}(rows, directory, title="Results"):
            #@D
            os.makedirs(directory, exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            path = os.path.join(directory, f"report-{{stamp}}.md")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(f"# {{title}}\\n\\n")
                handle.write({table}(rows))
                handle.write("\\n")
            return path
    """)
    return doc(text, "D", ctx, "Write a Markdown report with one table row per run.")


def schema_block(ctx: Ctx) -> str:
    cols = ctx.rng.sample(COLUMNS, ctx.randint(3, 6))
    entries = "".join(f'"{c}": ({ctx.choice(("float", "int"))}, {ctx.randint(0, 10)}, '
                      f'{ctx.choice((100, 1000, 1e6))}),\n' for c in cols)
    check = ctx.fresh("validate_rows", "check_schema", "find_bad_rows")
    text = dd(f"""
        SCHEMA = {{
            #@ENTRIES
        }}


        def {check}(rows, schema=SCHEMA):
            #@D
            problems = []
            for number, row in enumerate(rows, start=1):
                for column, (kind, low, high) in schema.items():
                    value = row.get(column)
                    if value is None:
                        problems.append((number, column, "missing"))
                        continue
                    try:
                        value = kind(value)
                    except (TypeError, ValueError):
                        problems.append((number, column, f"not {{kind.__name__}}: {{value!r}}"))
                        continue
                    if not low <= value <= high:
                        problems.append((number, column, f"out of range [{{low}}, {{high}}]: {{value}}"))
            return problems
    """)
    text = put(text, "ENTRIES", entries)
    return doc(text, "D", ctx, "Return (row number, column, problem) for every value outside the schema.")


def lr_math(ctx: Ctx) -> str:
    ctx.std("math")
    step = ctx.fresh("step_decay", "staircase_lr", "piecewise_lr")
    cos = ctx.fresh("cosine_lr", "cosine_annealing", "warmup_cosine")
    drop = ctx.choice((0.5, 0.1, 0.25))
    every = ctx.choice((5, 10, 20, 30))
    ctx.lr_function = step
    return dd(f"""
        def {step}(epoch, initial={ctx.choice((0.1, 0.01, 1e-3))}, drop={drop}, every={every}):
            return initial * drop ** math.floor(epoch / every)


        def {cos}(step, total_steps, base={ctx.choice((1e-3, 3e-4, 5e-4))}, warmup={ctx.choice((0, 100, 500))}):
            if warmup and step < warmup:
                return base * (step + 1) / warmup
            progress = (step - warmup) / max(1, total_steps - warmup)
            return 0.5 * base * (1 + math.cos(math.pi * min(progress, 1.0)))
    """)


def early_stop_tracker(ctx: Ctx) -> str:
    cls = ctx.fresh("EarlyStopper", "PatienceTracker", "BestTracker")
    return dd(f"""
        class {cls}:
            def __init__(self, patience={ctx.randint(3, 10)}, mode="{ctx.choice(("min", "max"))}"):
                self.patience = patience
                self.mode = mode
                self.best = None
                self.best_epoch = -1
                self.wait = 0

            def improved(self, value):
                if self.best is None:
                    return True
                return value < self.best if self.mode == "min" else value > self.best

            def update(self, epoch, value):
                if self.improved(value):
                    self.best, self.best_epoch, self.wait = value, epoch, 0
                    return False
                self.wait += 1
                return self.wait >= self.patience

            def __repr__(self):
                return f"{cls}(best={{self.best}}, epoch={{self.best_epoch}}, wait={{self.wait}})"
    """)


def config_merge(ctx: Ctx) -> str:
    ctx.std("json")
    ctx.std("os")
    merge = ctx.fresh("deep_merge", "merge_config", "update_nested")
    load = ctx.fresh("load_config", "read_settings", "load_settings")
    env = ctx.project.upper()
    return dd(f"""
        def {merge}(base, override):
            merged = dict(base)
            for key, value in override.items():
                if isinstance(value, dict) and isinstance(merged.get(key), dict):
                    merged[key] = {merge}(merged[key], value)
                else:
                    merged[key] = value
            return merged


        def {load}(path=None, defaults=None):
            config = dict(defaults or {{}})
            path = path or os.environ.get("{env}_CONFIG")
            if path and os.path.exists(path):
                with open(path, encoding="utf-8") as handle:
                    config = {merge}(config, json.load(handle))
            for key, value in os.environ.items():
                if key.startswith("{env}_") and key != "{env}_CONFIG":
                    config[key[len("{env}_"):].lower()] = value
            return config
    """)


def least_squares(ctx: Ctx) -> str:
    fit = ctx.fresh("fit_line", "linear_fit", "ols")
    r2 = ctx.fresh("r_squared", "coefficient_of_determination")
    return dd(f"""
        def {fit}(xs, ys):
            n = len(xs)
            if n < 2:
                raise ValueError("need at least two points")
            mean_x = sum(xs) / n
            mean_y = sum(ys) / n
            sxx = sum((x - mean_x) ** 2 for x in xs)
            sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
            slope = sxy / sxx if sxx else 0.0
            return slope, mean_y - slope * mean_x


        def {r2}(xs, ys, slope, intercept):
            mean_y = sum(ys) / len(ys)
            ss_tot = sum((y - mean_y) ** 2 for y in ys)
            ss_res = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys))
            return 1 - ss_res / ss_tot if ss_tot else 0.0
    """)


def dates_block(ctx: Ctx) -> str:
    ctx.imp("from datetime import date, datetime, timedelta", STDLIB)
    parse = ctx.fresh("parse_date", "to_date")
    formats = ctx.rng.sample(('"%Y-%m-%d"', '"%d/%m/%Y"', '"%m/%d/%Y"', '"%Y%m%d"', '"%d.%m.%Y"'), 3)
    return dd(f"""
        DATE_FORMATS = ({", ".join(formats)})


        def {parse}(text):
            for fmt in DATE_FORMATS:
                try:
                    return datetime.strptime(text.strip(), fmt).date()
                except ValueError:
                    continue
            raise ValueError(f"unrecognised date: {{text!r}}")


        def date_features(day):
            return {{
                "weekday": day.weekday(),
                "month": day.month,
                "is_weekend": int(day.weekday() >= 5),
                "day_of_year": day.timetuple().tm_yday,
            }}


        def date_range(start, end, step_days=1):
            current = start
            while current <= end:
                yield current
                current += timedelta(days=step_days)


        def days_since(day, origin=date(2020, 1, 1)):
            return (day - origin).days
    """)
