"""Ordinary-Python building blocks, part 3: longer classes (loaders, vocabularies, reports, checkpoints).

Like parts 1 and 2, these never mention Keras or TensorFlow.
"""

from __future__ import annotations

from corpus_blocks import COLUMNS, NOUNS, STDLIB, Ctx, dd, doc


def batch_loader(ctx: Ctx) -> str:
    ctx.std("random")
    ctx.std("math")
    cls = ctx.fresh("BatchLoader", "RecordLoader", "MiniBatcher", "SimpleLoader")
    noun = ctx.choice(NOUNS)
    text = dd(f"""
        class {cls}:
            #@D
            def __init__(self, {noun}s, batch_size={ctx.choice((16, 32, 64))}, shuffle=True, drop_last=False, seed=0):
                self.{noun}s = list({noun}s)
                self.batch_size = batch_size
                self.shuffle = shuffle
                self.drop_last = drop_last
                self._rng = random.Random(seed)
                self.epoch = 0

            def __len__(self):
                if self.drop_last:
                    return len(self.{noun}s) // self.batch_size
                return math.ceil(len(self.{noun}s) / self.batch_size)

            def __iter__(self):
                order = list(range(len(self.{noun}s)))
                if self.shuffle:
                    self._rng.shuffle(order)
                for start in range(0, len(order), self.batch_size):
                    chunk = order[start:start + self.batch_size]
                    if self.drop_last and len(chunk) < self.batch_size:
                        break
                    yield [self.{noun}s[i] for i in chunk]
                self.epoch += 1

            def peek(self, n=3):
                return self.{noun}s[:n]

            def split(self, fraction={ctx.choice((0.1, 0.2))}):
                cut = int(len(self.{noun}s) * (1 - fraction))
                head = type(self)(self.{noun}s[:cut], self.batch_size, self.shuffle, self.drop_last)
                tail = type(self)(self.{noun}s[cut:], self.batch_size, False, False)
                return head, tail

            def __repr__(self):
                return (f"{cls}(n={{len(self.{noun}s)}}, batch_size={{self.batch_size}}, "
                        f"shuffle={{self.shuffle}}, epoch={{self.epoch}})")
    """)
    return doc(text, "D", ctx, f"Iterate over {noun}s in (optionally shuffled) mini-batches.")


def vocabulary_class(ctx: Ctx) -> str:
    ctx.std("json")
    ctx.imp("from collections import Counter", STDLIB)
    cls = ctx.fresh("Vocabulary", "Vocab", "TokenIndex")
    specials = ctx.choice((('"<pad>"', '"<unk>"'), ('"[PAD]"', '"[UNK]"', '"[CLS]"', '"[SEP]"'),
                           ('"<pad>"', '"<unk>"', '"<s>"', '"</s>"')))
    text = dd(f"""
        class {cls}:
            #@D
            SPECIALS = ({", ".join(specials)})

            def __init__(self, min_count={ctx.randint(1, 3)}, max_size=None):
                self.min_count = min_count
                self.max_size = max_size
                self.counts = Counter()
                self.itos = list(self.SPECIALS)
                self.stoi = {{token: i for i, token in enumerate(self.itos)}}

            def update(self, tokens):
                self.counts.update(tokens)
                return self

            def freeze(self):
                for token, count in self.counts.most_common(self.max_size):
                    if count < self.min_count:
                        break
                    if token not in self.stoi:
                        self.stoi[token] = len(self.itos)
                        self.itos.append(token)
                return self

            def lookup(self, token):
                return self.stoi.get(token, 1)

            def encode(self, tokens):
                return [self.lookup(t) for t in tokens]

            def decode(self, ids):
                return [self.itos[i] if 0 <= i < len(self.itos) else self.itos[1] for i in ids]

            def __len__(self):
                return len(self.itos)

            def save(self, path):
                with open(path, "w", encoding="utf-8") as handle:
                    json.dump({{"itos": self.itos, "min_count": self.min_count}}, handle)

            @classmethod
            def load(cls, path):
                with open(path, encoding="utf-8") as handle:
                    data = json.load(handle)
                vocab = cls(min_count=data["min_count"])
                vocab.itos = data["itos"]
                vocab.stoi = {{token: i for i, token in enumerate(vocab.itos)}}
                return vocab
    """)
    return doc(text, "D", ctx, "Token <-> id mapping with special tokens first.")


def groupby_report(ctx: Ctx) -> str:
    ctx.imp("from collections import defaultdict", STDLIB)
    key = ctx.choice(("region", "category", "store", "device", "country", "segment"))
    value = ctx.choice(COLUMNS)
    agg = ctx.fresh("aggregate_by", "group_stats", "summarize_groups")
    show = ctx.fresh("print_groups", "show_summary", "print_table")
    text = dd(f"""
        def {agg}(rows, key="{key}", value="{value}"):
            #@D
            groups = defaultdict(list)
            for row in rows:
                if row.get(value) is None:
                    continue
                groups[row.get(key, "unknown")].append(float(row[value]))
            summary = []
            for name, values in groups.items():
                values.sort()
                middle = len(values) // 2
                median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
                summary.append({{
                    "group": name,
                    "count": len(values),
                    "mean": sum(values) / len(values),
                    "median": median,
                    "min": values[0],
                    "max": values[-1],
                }})
            summary.sort(key=lambda item: item["{ctx.choice(("count", "mean", "median"))}"], reverse=True)
            return summary


        def {show}(summary, limit={ctx.choice((10, 20, 50))}):
            header = f"{{'group':<20}} {{'count':>8}} {{'mean':>10}} {{'median':>10}}"
            print(header)
            print("-" * len(header))
            for item in summary[:limit]:
                print(f"{{str(item['group']):<20}} {{item['count']:>8d}} {{item['mean']:>10.3f}} "
                      f"{{item['median']:>10.3f}}")
            if len(summary) > limit:
                print(f"... and {{len(summary) - limit}} more groups")
    """)
    return doc(text, "D", ctx, f"Count, mean, median, min and max of ``{value}`` per ``{key}``.")


def matrix_utils(ctx: Ctx) -> str:
    solve = ctx.fresh("solve_linear", "gauss_solve", "solve_system")
    mm = ctx.fresh("matmul", "mat_mul", "dot")
    text = dd(f"""
        def transpose(matrix):
            return [list(column) for column in zip(*matrix)]


        def {mm}(a, b):
            columns = transpose(b)
            return [[sum(x * y for x, y in zip(row, column)) for column in columns] for row in a]


        def identity(n):
            return [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]


        def {solve}(a, b, tolerance={ctx.choice(("1e-12", "1e-10", "1e-9"))}):
            #@D
            n = len(a)
            rows = [list(map(float, a[i])) + [float(b[i])] for i in range(n)]
            for col in range(n):
                pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
                if abs(rows[pivot][col]) < tolerance:
                    raise ValueError("matrix is singular")
                rows[col], rows[pivot] = rows[pivot], rows[col]
                for r in range(col + 1, n):
                    factor = rows[r][col] / rows[col][col]
                    for c in range(col, n + 1):
                        rows[r][c] -= factor * rows[col][c]
            solution = [0.0] * n
            for r in range(n - 1, -1, -1):
                total = sum(rows[r][c] * solution[c] for c in range(r + 1, n))
                solution[r] = (rows[r][n] - total) / rows[r][r]
            return solution
    """)
    return doc(text, "D", ctx, "Solve ``a @ x = b`` by Gaussian elimination with partial pivoting.")


def checkpoint_rotation(ctx: Ctx) -> str:
    ctx.std("glob")
    ctx.std("os")
    ctx.std("re")
    cls = ctx.fresh("CheckpointManager", "CheckpointRotator", "SnapshotKeeper")
    ext = ctx.choice((".h5", ".ckpt", ".pkl", ".json", ".npz"))
    text = dd(f"""
        _EPOCH = re.compile(r"epoch[-_]?(\\d+)")


        class {cls}:
            #@D
            def __init__(self, directory, keep={ctx.randint(2, 6)}, pattern="*{ext}"):
                self.directory = directory
                self.keep = keep
                self.pattern = pattern
                os.makedirs(directory, exist_ok=True)

            def path_for(self, epoch):
                return os.path.join(self.directory, f"epoch_{{epoch:04d}}{ext}")

            def existing(self):
                found = []
                for path in glob.glob(os.path.join(self.directory, self.pattern)):
                    match = _EPOCH.search(os.path.basename(path))
                    if match:
                        found.append((int(match.group(1)), path))
                return sorted(found)

            def latest(self):
                found = self.existing()
                return found[-1][1] if found else None

            def rotate(self):
                found = self.existing()
                removed = []
                for _epoch, path in found[:-self.keep]:
                    os.remove(path)
                    removed.append(path)
                return removed
    """)
    return doc(text, "D", ctx, "Keep only the newest few checkpoint files in a directory.")


def progress_bar(ctx: Ctx) -> str:
    ctx.std("sys")
    ctx.std("time")
    cls = ctx.fresh("ProgressBar", "Progress", "ConsoleProgress")
    width = ctx.choice((20, 30, 40, 50))
    return dd(f"""
        class {cls}:
            def __init__(self, total, width={width}, stream=sys.stdout):
                self.total = max(int(total), 1)
                self.width = width
                self.stream = stream
                self.done = 0
                self.start = time.time()

            def update(self, n=1, **values):
                self.done = min(self.done + n, self.total)
                filled = int(self.width * self.done / self.total)
                bar = "#" * filled + "." * (self.width - filled)
                rate = self.done / max(time.time() - self.start, 1e-9)
                extra = " ".join(f"{{k}}={{v:.4g}}" for k, v in values.items())
                self.stream.write(f"\\r[{{bar}}] {{self.done}}/{{self.total}} {{rate:.1f}}/s {{extra}}")
                if self.done == self.total:
                    self.stream.write("\\n")
                self.stream.flush()

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                if self.done < self.total:
                    self.stream.write("\\n")
                return False
    """)


def correlation_report(ctx: Ctx) -> str:
    ctx.std("math")
    corr = ctx.fresh("pearson", "correlation", "pearson_r")
    pairs = ctx.fresh("correlated_pairs", "find_correlated", "high_correlations")
    threshold = ctx.choice((0.8, 0.9, 0.95))
    text = dd(f"""
        def {corr}(xs, ys):
            n = len(xs)
            if n != len(ys) or n < 2:
                raise ValueError("need two sequences of equal length >= 2")
            mean_x, mean_y = sum(xs) / n, sum(ys) / n
            cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
            var_x = sum((x - mean_x) ** 2 for x in xs)
            var_y = sum((y - mean_y) ** 2 for y in ys)
            if var_x == 0 or var_y == 0:
                return 0.0
            return cov / math.sqrt(var_x * var_y)


        def {pairs}(columns, threshold={threshold}):
            #@D
            names = sorted(columns)
            found = []
            for i, first in enumerate(names):
                for second in names[i + 1:]:
                    r = {corr}(columns[first], columns[second])
                    if abs(r) >= threshold:
                        found.append((first, second, round(r, 4)))
            return sorted(found, key=lambda item: -abs(item[2]))


        def constant_columns(columns):
            return [name for name, values in columns.items() if len(set(values)) <= 1]
    """)
    return doc(text, "D", ctx, "Pairs of columns whose absolute Pearson correlation is above a threshold.")


def ini_parser(ctx: Ctx) -> str:
    fn = ctx.fresh("parse_ini", "read_sections", "parse_settings_file")
    conv = ctx.fresh("coerce", "auto_type", "parse_value")
    text = dd(f"""
        def {conv}(value):
            lowered = value.lower()
            if lowered in ("true", "yes", "on"):
                return True
            if lowered in ("false", "no", "off"):
                return False
            for kind in (int, float):
                try:
                    return kind(value)
                except ValueError:
                    pass
            return value.strip('"').strip("'")


        def {fn}(text):
            #@D
            sections = {{"default": {{}}}}
            current = sections["default"]
            for number, raw in enumerate(text.splitlines(), start=1):
                line = raw.split("#", 1)[0].strip()
                if not line:
                    continue
                if line.startswith("[") and line.endswith("]"):
                    current = sections.setdefault(line[1:-1].strip(), {{}})
                    continue
                if "=" not in line:
                    raise ValueError(f"line {{number}}: expected 'key = value', got {{raw!r}}")
                key, value = (part.strip() for part in line.split("=", 1))
                current[key] = {conv}(value)
            return sections
    """)
    return doc(text, "D", ctx, "Parse a small INI-like text into nested dicts with typed values.")
