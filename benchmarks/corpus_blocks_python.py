"""Ordinary-Python building blocks, part 1 (records, statistics, text, files).

These never mention Keras or TensorFlow, so they also make up the plain utility files of the corpus.
"""

from __future__ import annotations

from corpus_blocks import COLUMNS, NOUNS, STDLIB, TARGETS, Ctx, comment, dd, doc, put


def constants(ctx: Ctx) -> str:
    seed = ctx.randint(0, 9999)
    lines = [f"SEED = {seed}"]
    data_dir = ctx.choice(("data", "input", "datasets", "../data", "/mnt/data"))
    lines.append(f'DATA_DIR = "{data_dir}/{ctx.project}"')
    lines.append(f'OUTPUT_DIR = "{ctx.choice(("out", "outputs", "artifacts", "runs"))}"')
    if ctx.chance(0.6):
        cols = ctx.rng.sample(COLUMNS, ctx.randint(3, 7))
        lines.append(f"FEATURE_COLUMNS = {cols!r}")
        lines.append(f'TARGET_COLUMN = "{ctx.choice(TARGETS)}"')
    if ctx.chance(0.5):
        lines.append(f"VALIDATION_FRACTION = {ctx.choice((0.1, 0.15, 0.2, 0.25))}")
    if ctx.chance(0.4):
        lines.append(f"MAX_ROWS = {ctx.choice((1000, 5000, 20000, 100000, None))}")
    if ctx.chance(0.4):
        lines.append(f"LOG_EVERY = {ctx.choice((10, 50, 100, 500))}")
    ctx._names.update({"SEED", "DATA_DIR", "OUTPUT_DIR"})
    return comment(ctx, 0.4) + "\n".join(lines) + "\n"


def logging_setup(ctx: Ctx) -> str:
    ctx.std("logging")
    name = ctx.fresh("configure_logging", "setup_logging", "init_logging")
    logger = ctx.fresh("logger", "log", "LOGGER")
    fmt = ctx.choice(("%(asctime)s %(levelname)s %(message)s", "[%(levelname)s] %(name)s: %(message)s",
                      "%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
    text = dd(f"""
        {logger} = logging.getLogger("{ctx.project}")


        def {name}(verbose=False):
            #@D
            level = logging.DEBUG if verbose else logging.INFO
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("{fmt}"))
            root = logging.getLogger()
            root.handlers[:] = [handler]
            root.setLevel(level)
            return root
    """)
    return doc(text, "D", ctx, "Configure root logging once for command-line use.")


def record_parsing(ctx: Ctx) -> str:
    ctx.std("csv")
    noun = ctx.choice(NOUNS)
    cols = ctx.rng.sample(COLUMNS, ctx.randint(3, 6))
    parse = ctx.fresh(f"parse_{noun}", f"parse_{noun}_row")
    load = ctx.fresh(f"load_{noun}s", f"read_{noun}s")
    conv = ctx.fresh("to_float", "safe_float", "_as_float")
    missing = ctx.choice(('("", "NA", "nan", "null")', '("", "?", "NaN")', '("", "N/A", "-")'))
    fields = "".join(f'"{c}": {conv}(row.get("{c}")),\n' for c in cols)
    text = dd(f"""
        MISSING_VALUES = {missing}


        def {conv}(value, default=None):
            #@D1
            if value is None:
                return default
            value = value.strip()
            if value in MISSING_VALUES:
                return default
            try:
                return float(value)
            except ValueError:
                return default


        def {parse}(row):
            #@D2
            parsed = {{
                #@FIELDS
            }}
            parsed["id"] = row.get("id") or row.get("ID")
            return parsed


        def {load}(path, limit=None):
            {noun}s = []
            with open(path, newline="", encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                for index, row in enumerate(reader):
                    if limit is not None and index >= limit:
                        break
                    {noun}s.append({parse}(row))
            return {noun}s
    """)
    text = put(text, "FIELDS", fields)
    text = doc(text, "D1", ctx, "Convert a CSV cell to float; missing or malformed cells give ``default``.")
    return doc(text, "D2", ctx, f"Turn one CSV row into a typed {noun} dict.")


def statistics_block(ctx: Ctx) -> str:
    cls = ctx.fresh("RunningStats", "OnlineMoments", "Welford")
    pct = ctx.fresh("percentile", "quantile")
    hist = ctx.fresh("histogram", "bin_counts")
    bins = ctx.choice((5, 10, 20, 32))
    ctx.std("math")
    return dd(f"""
        class {cls}:
            \"\"\"Mean and variance in one pass (Welford's algorithm).\"\"\"

            def __init__(self):
                self.count = 0
                self.mean = 0.0
                self._m2 = 0.0
                self.minimum = math.inf
                self.maximum = -math.inf

            def push(self, value):
                self.count += 1
                delta = value - self.mean
                self.mean += delta / self.count
                self._m2 += delta * (value - self.mean)
                self.minimum = min(self.minimum, value)
                self.maximum = max(self.maximum, value)

            def extend(self, values):
                for value in values:
                    self.push(value)
                return self

            @property
            def variance(self):
                return self._m2 / (self.count - 1) if self.count > 1 else 0.0

            @property
            def std(self):
                return math.sqrt(self.variance)

            def as_dict(self):
                return {{"count": self.count, "mean": self.mean, "std": self.std,
                        "min": self.minimum, "max": self.maximum}}


        def {pct}(values, q):
            ordered = sorted(values)
            if not ordered:
                raise ValueError("{pct}() of an empty sequence")
            position = (len(ordered) - 1) * q / 100.0
            lower = math.floor(position)
            upper = math.ceil(position)
            if lower == upper:
                return ordered[int(position)]
            return ordered[lower] * (upper - position) + ordered[upper] * (position - lower)


        def {hist}(values, bins={bins}):
            values = list(values)
            if not values:
                return [0] * bins
            low, high = min(values), max(values)
            width = (high - low) / bins or 1.0
            counts = [0] * bins
            for value in values:
                index = min(int((value - low) / width), bins - 1)
                counts[index] += 1
            return counts
    """)


def text_vocab(ctx: Ctx) -> str:
    ctx.std("re")
    ctx.imp("from collections import Counter", STDLIB)
    tok = ctx.fresh("tokenize", "simple_tokenize", "split_words")
    vocab = ctx.fresh("build_vocabulary", "make_vocab", "fit_vocabulary")
    enc = ctx.fresh("encode_texts", "texts_to_ids", "encode_corpus")
    size = ctx.choice((5000, 10000, 20000, 30000))
    oov = ctx.choice(('"<unk>"', '"[UNK]"', '"<oov>"'))
    lower = ctx.choice(("text.lower()", "text.casefold()"))
    return dd(f"""
        _TOKEN = re.compile(r"[A-Za-z0-9']+")
        PAD, OOV = "<pad>", {oov}


        def {tok}(text):
            return _TOKEN.findall({lower})


        def {vocab}(texts, max_size={size}, min_count={ctx.randint(1, 5)}):
            counts = Counter()
            for text in texts:
                counts.update({tok}(text))
            words = [w for w, c in counts.most_common(max_size) if c >= min_count]
            index = {{PAD: 0, OOV: 1}}
            for word in words:
                index.setdefault(word, len(index))
            return index


        def {enc}(texts, index, max_len={ctx.choice((50, 100, 200, 256, 400))}):
            encoded = []
            for text in texts:
                ids = [index.get(word, 1) for word in {tok}(text)][:max_len]
                ids += [0] * (max_len - len(ids))
                encoded.append(ids)
            return encoded
    """)


def file_walk(ctx: Ctx) -> str:
    ctx.std("os")
    ctx.std("hashlib")
    find = ctx.fresh("find_files", "list_images", "collect_paths")
    split = ctx.fresh("assign_split", "split_by_hash", "bucket_for")
    exts = ctx.choice(('(".jpg", ".jpeg", ".png")', '(".csv",)', '(".txt", ".md")', '(".wav", ".flac")'))
    frac = ctx.choice((0.1, 0.2, 0.25))
    return dd(f"""
        def {find}(root, extensions={exts}):
            found = []
            for directory, _subdirs, names in os.walk(root):
                for name in sorted(names):
                    if name.lower().endswith(extensions):
                        found.append(os.path.join(directory, name))
            return sorted(found)


        def {split}(path, validation={frac}):
            # Stable across runs and machines, unlike random.shuffle with an unset seed.
            digest = hashlib.md5(os.path.basename(path).encode("utf-8")).hexdigest()
            bucket = int(digest[:8], 16) / 0xFFFFFFFF
            return "validation" if bucket < validation else "train"


        def group_by_label(paths):
            groups = {{}}
            for path in paths:
                label = os.path.basename(os.path.dirname(path))
                groups.setdefault(label, []).append(path)
            return groups
    """)


def timer_block(ctx: Ctx) -> str:
    ctx.std("time")
    ctx.imp("from contextlib import contextmanager", STDLIB)
    name = ctx.fresh("timed", "timer", "stopwatch")
    return dd(f"""
        @contextmanager
        def {name}(label, sink=print):
            start = time.perf_counter()
            try:
                yield
            finally:
                elapsed = time.perf_counter() - start
                sink(f"{{label}}: {{elapsed:.2f}}s")


        def format_duration(seconds):
            minutes, seconds = divmod(int(seconds), 60)
            hours, minutes = divmod(minutes, 60)
            if hours:
                return f"{{hours}}h{{minutes:02d}}m"
            if minutes:
                return f"{{minutes}}m{{seconds:02d}}s"
            return f"{{seconds}}s"
    """)


def confusion_block(ctx: Ctx) -> str:
    conf = ctx.fresh("confusion_matrix", "confusion_counts")
    prf = ctx.fresh("precision_recall_f1", "per_class_scores")
    text = dd(f"""
        def {conf}(y_true, y_pred, num_classes):
            matrix = [[0] * num_classes for _ in range(num_classes)]
            for truth, guess in zip(y_true, y_pred):
                matrix[int(truth)][int(guess)] += 1
            return matrix


        def {prf}(matrix):
            #@D
            scores = []
            for k in range(len(matrix)):
                tp = matrix[k][k]
                fp = sum(row[k] for row in matrix) - tp
                fn = sum(matrix[k]) - tp
                precision = tp / (tp + fp) if tp + fp else 0.0
                recall = tp / (tp + fn) if tp + fn else 0.0
                f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
                scores.append({{"class": k, "precision": precision, "recall": recall, "f1": f1}})
            return scores


        def macro_average(scores, key="f1"):
            return sum(s[key] for s in scores) / max(len(scores), 1)
    """)
    return doc(text, "D", ctx, "Precision, recall and F1 for every class of a confusion matrix.")


def batching_block(ctx: Ctx) -> str:
    ctx.imp("from itertools import islice", STDLIB)
    chunk = ctx.fresh("chunked", "batched", "in_batches")
    win = ctx.fresh("sliding_windows", "windows", "make_windows")
    return dd(f"""
        def {chunk}(iterable, size):
            iterator = iter(iterable)
            while True:
                block = list(islice(iterator, size))
                if not block:
                    return
                yield block


        def {win}(sequence, length, step=1):
            if length <= 0:
                raise ValueError("window length must be positive")
            for start in range(0, len(sequence) - length + 1, step):
                yield sequence[start:start + length]


        def flatten(nested):
            for item in nested:
                if isinstance(item, (list, tuple)):
                    yield from flatten(item)
                else:
                    yield item
    """)


def decorators_block(ctx: Ctx) -> str:
    ctx.std("functools")
    ctx.std("time")
    retry = ctx.fresh("retry", "with_retries")
    attempts = ctx.randint(2, 5)
    delay = ctx.choice((0.1, 0.5, 1.0, 2.0))
    return dd(f"""
        def {retry}(attempts={attempts}, delay={delay}, exceptions=(OSError,)):
            def decorate(func):
                @functools.wraps(func)
                def wrapper(*args, **kwargs):
                    last = None
                    for attempt in range(attempts):
                        try:
                            return func(*args, **kwargs)
                        except exceptions as exc:  # pragma: no cover - depends on the filesystem
                            last = exc
                            time.sleep(delay * (2 ** attempt))
                    raise last
                return wrapper
            return decorate


        def memoize(func):
            cache = {{}}

            @functools.wraps(func)
            def wrapper(*args):
                if args not in cache:
                    cache[args] = func(*args)
                return cache[args]

            wrapper.cache = cache
            return wrapper
    """)


def registry_block(ctx: Ctx) -> str:
    ctx.std("json")
    ctx.std("os")
    cls = ctx.fresh("ExperimentLog", "RunRegistry", "ResultStore")
    path = ctx.choice(("runs.json", "experiments.json", "results/log.json"))
    text = dd(f"""
        class {cls}:
            #@D
            def __init__(self, path="{path}"):
                self.path = path
                self.entries = []
                if os.path.exists(path):
                    with open(path, encoding="utf-8") as handle:
                        self.entries = json.load(handle)

            def add(self, name, **metrics):
                entry = {{"name": name, **metrics}}
                self.entries.append(entry)
                return entry

            def best(self, key, higher_is_better=True):
                scored = [e for e in self.entries if key in e]
                if not scored:
                    return None
                return (max if higher_is_better else min)(scored, key=lambda e: e[key])

            def save(self):
                directory = os.path.dirname(self.path)
                if directory:
                    os.makedirs(directory, exist_ok=True)
                with open(self.path, "w", encoding="utf-8") as handle:
                    json.dump(self.entries, handle, indent=2, sort_keys=True)

            def __len__(self):
                return len(self.entries)
    """)
    return doc(text, "D", ctx, "Append-only log of experiment results kept in a JSON file.")


def text_cleaning(ctx: Ctx) -> str:
    ctx.std("re")
    ctx.std("unicodedata")
    clean = ctx.fresh("clean_text", "normalize_text", "preprocess_text")
    stop = ctx.rng.sample(("the", "a", "an", "and", "or", "of", "to", "in", "is", "it", "this", "that",
                           "for", "on", "with", "as", "was", "at", "by"), ctx.randint(6, 14))
    return dd(f"""
        STOPWORDS = frozenset({sorted(stop)!r})
        _URL = re.compile(r"https?://\\S+")
        _HTML = re.compile(r"<[^>]+>")
        _SPACES = re.compile(r"\\s+")


        def strip_accents(text):
            normalized = unicodedata.normalize("NFKD", text)
            return "".join(ch for ch in normalized if not unicodedata.combining(ch))


        def {clean}(text, drop_stopwords={ctx.choice(("True", "False"))}):
            text = _HTML.sub(" ", text)
            text = _URL.sub(" ", text)
            text = strip_accents(text).lower()
            text = re.sub(r"[^a-z0-9' ]", " ", text)
            words = _SPACES.sub(" ", text).strip().split(" ")
            if drop_stopwords:
                words = [w for w in words if w not in STOPWORDS]
            return " ".join(w for w in words if w)
    """)


def config_dataclass(ctx: Ctx) -> str:
    ctx.imp("from dataclasses import asdict, dataclass, field", STDLIB)
    cls = ctx.fresh("TrainConfig", "ExperimentConfig", "RunConfig", "Hyperparams")
    epochs = ctx.choice((5, 10, 20, 30, 50, 100))
    bs = ctx.choice((16, 32, 64, 128, 256))
    lr = ctx.choice((1e-3, 3e-4, 1e-4, 5e-4, 0.01))
    extra = ctx.rng.sample(("dropout: float = 0.3", "patience: int = 5", "hidden_units: int = 128",
                            "use_batchnorm: bool = True", "max_len: int = 200", "l2: float = 1e-4",
                            "image_size: int = 64", "embedding_dim: int = 100"), ctx.randint(2, 5))
    text = dd(f"""
        @dataclass
        class {cls}:
            epochs: int = {epochs}
            batch_size: int = {bs}
            learning_rate: float = {lr}
            #@EXTRA
            tags: list = field(default_factory=list)

            def validate(self):
                if self.epochs <= 0:
                    raise ValueError(f"epochs must be positive, got {{self.epochs}}")
                if not 0 < self.learning_rate < 1:
                    raise ValueError(f"learning_rate out of range: {{self.learning_rate}}")
                if self.batch_size & (self.batch_size - 1):
                    print(f"note: batch_size {{self.batch_size}} is not a power of two")
                return self

            @classmethod
            def from_dict(cls, values):
                known = {{k: v for k, v in values.items() if k in cls.__dataclass_fields__}}
                return cls(**known).validate()

            def to_dict(self):
                return asdict(self)
    """)
    return put(text, "EXTRA", "\n".join(extra))
