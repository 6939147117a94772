"""How data changes on its way to ``fit``: the data half of the interpreter's vocabulary.

Each function takes interpreter values and returns the value of the expression (a ``DataV`` with the
transforms recorded), or ``None`` when the call is not a data operation we model. Unknown operations
on data give ``UNK`` (the interpreter's default), so rules stay quiet rather than guess.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.facts import intervals, synthetic
from kerascheck.facts.intervals import data_binop as binop, scaler_range  # noqa: F401 (binop: the interpreter calls dataflow.binop)
from kerascheck.facts.syntax import children, int_value
from kerascheck.facts.model import Loc
from kerascheck.facts.values import UNK, DataV, ModelB, Obj, Ref, Seq

# Key of ``Obj.attrs`` set when the call passed ``**kwargs`` we cannot see.
STAR_KWARGS = "__star_kwargs__"

# The targets of the keras.datasets regression sets (Boston: $5k-$50k; California: $15k-$500k).
_DATASET_TARGETS = {"boston_housing": (5.0, 50.0), "california_housing": (14999.0, 500001.0)}
IMAGE_DATASETS = {"mnist": 10, "fashion_mnist": 10, "cifar10": 10, "cifar100": 100}
OTHER_DATASETS = {"imdb": 2, "reuters": 46, "boston_housing": None, "california_housing": None}

# Calls whose result is their first argument rescaled or standardised.
SCALING_FUNCTIONS = frozenset(
    {
        "preprocess_input", "normalize", "scale", "minmax_scale", "robust_scale", "maxabs_scale",
        "convert_image_dtype", "per_image_standardization", "standardize", "l2_normalize",
        "rescale", "zscore",
    }
)
# Calls (library functions or methods) that keep the data as it was (shape or container changes).
PRESERVING = frozenset(
    {
        "array", "asarray", "asanyarray", "astype", "reshape", "expand_dims", "squeeze", "copy",
        "cast", "convert_to_tensor", "constant", "stack", "concatenate", "vstack", "hstack",
        "to_numpy", "values", "flatten", "ravel", "transpose", "float32", "tolist", "head",
        "sample", "drop", "iloc", "loc", "take", "shuffle", "batch", "prefetch", "cache",
        "repeat", "unbatch", "padded_batch", "to_frame", "select_dtypes", "reset_index",
        "sort_values", "set_index", "rename", "filter", "pop", "atleast_2d", "swapaxes",
        "moveaxis", "resize", "squeeze", "get_dummies_features", "tile", "from_tensors",
        "cvtColor", "img_to_array", "with_options", "convert", "toarray", "todense",
        "DataFrame", "Series",
    }
)
# The PRESERVING calls that also keep an array's shape (``DataV.columns``); the others may change it.
SHAPE_KEEPING = frozenset(
    {"array", "asarray", "asanyarray", "astype", "copy", "cast", "convert_to_tensor", "constant",
     "to_numpy", "values", "float32", "toarray", "todense", "DataFrame", "Series"}
)
NAN_HANDLING = frozenset({"dropna", "fillna", "interpolate", "ffill", "bfill", "nan_to_num", "replace"})
# Names whose presence in a row filter (``df[df.x.notna()]``) means rows with NaNs are dropped.
NAN_CHECKS = frozenset({"notna", "notnull", "isna", "isnull", "isnan", "isfinite", "dropna"})
# Words in a data file's name that say its values were already prepared.
PREPARED_FILE_WORDS = ("normaliz", "normalis", "scaled", "standardiz", "standardis", "minmax",
                       "preprocessed", "processed")
CLEAN_FILE_WORDS = ("clean", "preprocessed", "processed", "imputed")
# Keras layers that rescale or standardise what they are applied to.
DATA_SCALING_LAYERS = frozenset(
    {"Rescaling", "Normalization", "BatchNormalization", "LayerNormalization",
     "UnitNormalization", "GroupNormalization"}
)
# Keras layers that change shape or augment but keep the value range.
VALUE_PRESERVING_LAYERS = frozenset(
    {"Resizing", "CenterCrop", "RandomCrop", "RandomFlip", "RandomRotation", "RandomZoom",
     "RandomTranslation", "RandomHeight", "RandomWidth", "Reshape", "Flatten", "Permute"}
)
IMAGE_READERS = frozenset({"imread", "load_img", "img_to_array", "open", "decode_jpeg",
                           "decode_png", "decode_image", "read_image", "decode_bmp"})


# label_mode (image_dataset_from_directory) / class_mode (flow_from_directory) -> label kind.
DIRECTORY_LABEL_MODES = {"int": "integer", "sparse": "integer", "categorical": "onehot",
                         "binary": "binary"}


def _with_directory_labels(data: DataV, mode: Any, loc: Loc, classes: Any = None) -> DataV:
    """A directory dataset with its (images, labels) parts when the label encoding is known.

    ``classes`` is the loader's explicit list of class directories (``classes=[...]`` /
    ``class_names=[...]``): its length is then the class count. One-hot labels get the
    ``"to_categorical"`` transform: one column per class, whatever the count."""
    kind = DIRECTORY_LABEL_MODES.get(mode) if isinstance(mode, str) else None
    if kind is None:
        return data
    count = len(classes.items) if isinstance(classes, Seq) and not classes.appended else None
    labels = DataV(data.origin, loc, role="labels", label_kind=kind,
                   num_classes=count if kind != "binary" else None,
                   transforms=("to_categorical",) if kind == "onehot" else ())
    return data.derive(parts=(data.derive(role="features"), labels))


def dataset_loader(name: str, loc: Loc) -> Any:
    """``keras.datasets.mnist.load_data`` -> ((x_train, y_train), (x_test, y_test))."""
    parts = name.split(".")
    family = parts[2] if len(parts) > 3 else ""
    if family in IMAGE_DATASETS:
        origin, classes = f"dataset:{family}", IMAGE_DATASETS[family]
        kind = "integer"
    elif family in OTHER_DATASETS:
        origin, classes = f"dataset:{family}", OTHER_DATASETS[family]
        kind = "continuous" if classes is None else "integer"
    else:
        return UNK

    def split() -> Seq:
        # Image datasets are uint8 pixels; the housing targets are prices (in $1000s / $100000s).
        pixels = (0.0, 255.0) if family in IMAGE_DATASETS else None
        features = DataV(origin, loc, role="features", bounds=pixels)
        labels = DataV(origin, loc, role="labels", num_classes=classes, label_kind=kind,
                       bounds=_DATASET_TARGETS.get(family))
        return Seq([features, labels])

    return Seq([split(), split()])


def library_call(short: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                 loc: Loc) -> Any:
    """A library function applied to data, or one that creates data; None if not a data call."""
    first = args[0] if args else None
    if name.startswith("keras.datasets.") and short == "load_data":
        return dataset_loader(name, loc)
    if short in ("array", "asarray") and name.startswith("numpy.") and not isinstance(
            first, DataV) and _names_object_dtype(kwargs.get("dtype")):
        # np.array(ragged_lists, dtype=object): an object array whatever went in
        return DataV("unknown", loc, transforms=("object_dtype",))
    made = synthetic.library_call(short, name, args, kwargs, loc)
    if made is not None:
        return made
    if short in ("to_categorical",) or name in ("tf.one_hot", "keras.ops.one_hot") or (
        short == "get_dummies" and isinstance(first, DataV) and first.role != "features"
    ):
        classes = args[1] if len(args) > 1 else kwargs.get("num_classes", kwargs.get("depth"))
        count = int(classes) if isinstance(classes, int) and not isinstance(classes, bool) else None
        base = first if isinstance(first, DataV) else DataV("unknown", loc, role="labels")
        if count is None and short == "to_categorical" and base.origin.startswith("dataset:"):
            # Inferred at run time as max(label) + 1: all of a keras.datasets split's classes.
            count = base.num_classes
        if short == "get_dummies":  # drop_first=True leaves one column for two classes
            return base.derive("onehot", label_kind="onehot", num_classes=count)
        # "to_categorical": one column per class, so at least two for a classifier's labels
        # (LabelBinarizer and get_dummies(drop_first=True) give one column for two classes).
        return base.derive("onehot", "to_categorical", label_kind="onehot", num_classes=count)
    if short == "pad_sequences" and name.startswith(("keras.", "keras_preprocessing.")) and not (
            isinstance(kwargs.get("value"), str) or kwargs.get("dtype") in ("object", "str")):
        # A matrix of integer token ids: as labels (next-word targets ``seqs[:, -1]``) they are
        # class indexes, not one-hot vectors.
        return DataV("token_ids", loc, role="features", label_kind="integer")
    if short in ("image_dataset_from_directory",):
        data = DataV("image_directory", loc, role="dataset")
        if kwargs.get("labels", "inferred") == "inferred":
            data = _with_directory_labels(data, kwargs.get("label_mode", "int"), loc,
                                          kwargs.get("class_names"))
        if kwargs.get("subset") == "both":  # (train_ds, val_ds)
            return Seq([data, data])
        return data
    if short in ("read_csv", "read_excel", "read_parquet", "read_table", "read_json", "loadtxt",
                 "genfromtxt", "read_sql") and name.split(".")[0] in ("pandas", "pd", "numpy",
                                                                      "np", "polars"):
        data = DataV("read_csv", loc, role="frame")
        if short == "loadtxt":  # fails on missing fields rather than giving NaN
            data = data.derive("nan_handled")
        return _prepared_file(data, first if first is not None else kwargs.get("filepath_or_buffer"))
    root = name.split(".")[0]
    if root == "matplotlib" and short == "imread":
        return UNK  # PNGs come back as floats in [0, 1], JPEGs as uint8: range unknown
    if root == "skimage" and (short in SKIMAGE_TO_UNIT_RANGE or (
            short in SKIMAGE_RANGE_CHANGING and not kwargs.get("preserve_range"))):
        # skimage converts to floats in [0, 1] (img_as_float) unless told to preserve the range.
        return first.derive("scaled") if isinstance(first, DataV) else UNK
    if _reads_image(short, name, first):
        if short == "img_to_array" and isinstance(first, DataV):
            return shape_kept(first, short)
        image = DataV("image_files", loc, role="features")
        if root == "skimage" and kwargs.get("as_gray"):
            return image.derive("scaled")  # skimage.io.imread(as_gray=True): floats in [0, 1]
        return image
    if short == "train_test_split":
        out: list[Any] = []
        for value in args:
            out.extend([value, value] if isinstance(value, DataV) else [UNK, UNK])
        return Seq(out) if out else UNK
    if short == "from_tensor_slices" or short == "from_tensors":
        if isinstance(first, Seq) and first.items:
            # (features, labels) written as literal lists: the arrays TensorFlow makes of them.
            parts = tuple(literal if isinstance(part, Seq) and isinstance(
                literal := synthetic.literal_array(part, loc), DataV) else part
                for part in first.items)
            lead = parts[0]
            if isinstance(lead, DataV):
                return lead.derive(role="dataset", parts=parts)
            return UNK
        if isinstance(first, DataV):
            return first.derive(role="dataset", parts=(first,))
        return UNK
    if not isinstance(first, DataV):
        if short in STACKING and isinstance(first, Seq):
            # np.array(images) after images.append(img) in a loop; np.concatenate([a, b]).
            return _stacked(first.items + first.appended)
        return None
    if name.split(".")[0] in ("numpy", "np") and short in ELEMENTWISE:
        bounds = intervals.function(short, first, args)
        added = "log" if short.startswith("log") else "computed"
        if bounds is None:
            return first.derive(added)
        return first.derive(added, bounds=bounds, label_kind="continuous")
    if short in SCALING_FUNCTIONS:
        return first.derive("scaled")
    if short in NAN_HANDLING:
        return first.derive("nan_handled")
    if short in ("divide", "true_divide", "truediv"):
        return first.derive("scaled")
    if short == "reshape":
        return reshaped(first, args[1] if len(args) > 1 else kwargs.get(
            "newshape", kwargs.get("shape")))
    if short in CONTAINER_CHANGES:
        return container(first, short, kwargs.get("dtype", args[1] if len(args) > 1 else None))
    if short in PRESERVING or name in ("tf.math.add", "tf.math.multiply"):
        return shape_kept(first, short)
    if short == "log" or short == "log1p":
        return first.derive("log")
    return None


COMPOSITE_TRANSFORMERS = frozenset(
    {"Pipeline", "ColumnTransformer", "FeatureUnion", "make_pipeline", "make_column_transformer",
     "make_union", "FeatureSpace"}
)
# scikit-image functions that return floats in [0, 1] (always, or unless ``preserve_range=True``).
SKIMAGE_TO_UNIT_RANGE = frozenset(
    {"rgb2gray", "rgba2rgb", "img_as_float", "img_as_float32", "img_as_float64"}
)
SKIMAGE_RANGE_CHANGING = frozenset({"resize", "rescale", "rotate", "warp", "swirl"})
# NumPy elementwise functions whose effect on a value range ``intervals.function`` knows.
ELEMENTWISE = frozenset(
    {"sin", "cos", "tanh", "exp", "abs", "absolute", "fabs", "square", "power", "sqrt", "log",
     "log1p", "log10", "log2", "clip", "round", "around", "floor", "ceil", "rint"}
)
STACKING = frozenset(
    {"array", "asarray", "concatenate", "stack", "vstack", "hstack", "dstack", "concat"}
)
_IMAGE_LIBRARIES = ("cv2", "imageio", "skimage", "matplotlib", "keras", "PIL", "tf", "scipy")


def _reads_image(short: str, name: str, first: Any) -> bool:
    """Does this call decode an image file into raw [0, 255] pixels?"""
    root = name.split(".")[0]
    if short == "open":  # PIL.Image.open; never builtins/gzip/tarfile open
        return root == "PIL"
    if short not in IMAGE_READERS:
        return False
    return root in _IMAGE_LIBRARIES or isinstance(first, (str, DataV))


def _stacked(elements: list[Any]) -> Any:
    """Arrays built from a list of data values: the common value when they all agree, else UNK."""
    if not elements or not all(isinstance(v, DataV) for v in elements):
        return None if not any(isinstance(v, DataV) for v in elements) else UNK
    lead = elements[0]
    if any(v.origin != lead.origin or v.transforms != lead.transforms for v in elements[1:]):
        return UNK
    changes = intervals.union(elements)  # type: ignore[arg-type]
    if changes.get("values") is not None and changes["values"] != lead.values:
        # np.concatenate([np.zeros(n), np.ones(n)]): binary targets.
        made = synthetic.from_values(changes["values"], lead.columns, lead.loc, lead.origin)
        changes.update(label_kind=made.label_kind, num_classes=made.num_classes)
    elif "values" not in changes:
        changes["values"] = None
    return lead.derive("reshaped", bounds=changes.get("bounds"), **{
        k: v for k, v in changes.items() if k != "bounds"})


def _prepared_file(data: DataV, path: Any) -> DataV:
    """A data file whose name says it was already normalised or cleaned (``train_scaled.csv``)."""
    if not isinstance(path, str):
        return data
    lowered = path.lower().rsplit("/", 1)[-1]
    if any(word in lowered for word in PREPARED_FILE_WORDS):
        data = data.derive("scaled")
    if any(word in lowered for word in CLEAN_FILE_WORDS):
        data = data.derive("nan_handled")
    return data


def subscript(data: DataV, index: Any, node: cst.Subscript) -> Any:
    """``df["col"]``, ``df[cols]``, ``x[:1000]``, ``df[df.col.notna()]`` (drops NaN rows)."""
    if data.role == "frame" and isinstance(index, str):
        return data.derive(role="column", column_name=index)
    if data.role == "frame" and isinstance(index, Seq):
        return data.derive(role="frame")
    if _mentions(node.slice, NAN_CHECKS):
        return data.derive("nan_handled")
    if data.label_kind == "onehot" and len(node.slice) > 1 and data.num_classes is None:
        width = _column_block(node)
        if width is not None:
            # pd.DataFrame(OneHotEncoder().fit_transform(y).toarray()).iloc[:, 0:3]: the encoder's
            # columns taken as a block are the one-hot labels, one column per class.
            return data.derive(num_classes=width, columns=width)
    if data.label_kind == "onehot" and len(node.slice) > 1:
        # y[:, 1], y[:, :2]: some columns of one-hot labels are not one-hot labels any more.
        return data.derive(label_kind=None, num_classes=None)
    if data.role == "labels" and data.num_classes is not None and not isinstance(index, int) and any(
            isinstance(element.slice, cst.Index) for element in node.slice):
        # y[mask], y[indices]: only some classes may be left, so their count is no longer known.
        return data.derive(num_classes=None)
    if data.columns is not None and not (
            len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Slice)):
        return data.derive()  # y[:, 0], y[0], y[mask]: the shape changes (y[:100] keeps it)
    return data


def _column_block(node: cst.Subscript) -> int | None:
    """The width of ``[:, a:b]`` (all rows, a constant block of columns), else None."""
    rows, columns = node.slice[0].slice, node.slice[1].slice
    if len(node.slice) != 2 or not isinstance(rows, cst.Slice) or not isinstance(columns, cst.Slice):
        return None
    if rows.lower is not None or rows.upper is not None or columns.step is not None:
        return None
    low = int_value(columns.lower) if isinstance(columns.lower, cst.Integer) else (
        0 if columns.lower is None else None)
    high = int_value(columns.upper) if isinstance(columns.upper, cst.Integer) else None
    if low is None or high is None or high - low < 2:
        return None
    return high - low


def item_assignment(data: DataV, value: Any, node: Any, target: Any = None,
                    replaced: Any = None) -> DataV:
    """``data[...] = value`` (``df[cols] = scaler.fit_transform(df[cols])``): what ``data`` becomes.

    A value we cannot evaluate that visibly standardises (``df[c].apply(lambda s: (s - s.mean()) /
    s.std())``) counts as scaling, so the data rules stay quiet rather than miss it.
    A constant written into an array of known values (``y[i] = 1`` in a loop over
    ``y = np.zeros(n)``, relabelling ``y[y == "R"] = 0``) adds that value; ``replaced`` is the
    constant of an ``== C`` mask, whose value it replaces."""
    if isinstance(value, DataV):
        return data.derive(*(t for t in value.transforms if t not in data.transforms))
    if isinstance(value, (bool, int, float, str)) and data.values is not None:
        kept = data.values - {replaced} if replaced is not None else data.values
        made = synthetic.from_values(kept | {value}, data.columns, data.loc, data.origin)
        if data.label_kind is None and not any(isinstance(v, str) for v in data.values):
            # A table whose values never said what labels it holds (np.zeros((n, k))); string
            # labels relabelled to numbers (y[y == "R"] = 0) do become class indexes.
            return data.derive(values=made.values, bounds=made.bounds, columns=data.columns)
        return data.derive(values=made.values, bounds=made.bounds, label_kind=made.label_kind,
                           num_classes=made.num_classes, columns=data.columns)
    if node is not None and _mentions(node, SCALING_HINTS, budget=256):
        return data.derive("scaled")
    if data.values is not None or data.bounds is not None:
        return data.derive(values=None, bounds=None, label_kind=None)
    return data


# Names that, in an expression assigned into a frame, suggest the values are being rescaled.
SCALING_HINTS = frozenset(
    {"mean", "std", "min", "max", "scale", "normalize", "log", "log1p", "sqrt", "fit_transform",
     "transform", "zscore", "rank", "quantile", "clip", "minmax_scale", "div"}
)


def _mentions(nodes: Any, names: frozenset[str], budget: int = 64) -> bool:
    """Whether a small expression names one of ``names`` (as a name or attribute)."""
    stack = list(nodes) if isinstance(nodes, (list, tuple)) else [nodes]
    while stack and budget > 0:
        budget -= 1
        node = stack.pop()
        if isinstance(node, cst.Name) and node.value in names:
            return True
        if isinstance(node, cst.Attribute) and node.attr.value in names:
            return True
        stack.extend(children(node))
    return False


def model_on_data(model: ModelB, data: DataV) -> Any:
    """A (preprocessing) Sequential called on data: scaled if one of its layers rescales."""
    if not model.complete:
        return UNK
    result: Any = data
    for use in model.layers:
        if isinstance(use.obj, Obj) and (use.obj.name == "keras.Input"
                                         or use.obj.short == "InputLayer"):
            continue
        if not isinstance(use.obj, Obj) or not use.obj.name.startswith("keras.layers."):
            return UNK
        result = layer_on_data(use.obj, result)
        if not isinstance(result, DataV):
            return UNK
    return result


def method_call(data: DataV, method: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                loc: Loc) -> Any:
    """A method called on data (``x.astype(...)``, ``df.dropna()``, ``ds.map(fn)``...)."""
    if method in NAN_HANDLING:
        return data.derive("nan_handled")
    if method in ("div", "divide", "truediv"):
        return data.derive("scaled")
    if method == "reshape":
        return reshaped(data, args[0] if len(args) == 1 else Seq(list(args)) if args
                        else kwargs.get("shape"))
    if method in CONTAINER_CHANGES or method == "tolist":
        return container(data, method, kwargs.get("dtype", args[0] if args else None))
    if method in PRESERVING:
        return shape_kept(data, method)
    if method in ("apply", "applymap", "transform", "pipe"):
        return UNK
    return UNK


# Conversions that decide what container the data is in (a Python list, an object array, a
# numeric array or tensor): ``"pylist"``/``"object_dtype"`` record the first two.
CONTAINER_CHANGES = frozenset({"array", "asarray", "asanyarray", "astype", "convert_to_tensor",
                               "constant", "cast", "float32", "to_numpy"})
_OBJECT_DTYPES = frozenset({"object", "O", "str", "U", "builtins.object", "builtins.str",
                            "numpy.object_", "numpy.str_"})
_CONTAINER_FLAGS = ("pylist", "object_dtype")


def container(data: DataV, operation: str, dtype: Any) -> DataV:
    """``x.tolist()`` (a Python list), ``x.astype(object)``/``np.array(x, dtype=object)`` (an
    object array), or a conversion back to numbers (``np.array(x)``, ``x.astype("float32")``,
    ``tf.convert_to_tensor(x)``), which clears both."""
    kept = shape_kept(data, operation if operation != "tolist" else "flatten")
    if operation == "tolist":
        return kept.derive("pylist")
    if _names_object_dtype(dtype) and operation in ("array", "asarray", "asanyarray", "astype"):
        return kept.derive("object_dtype", transforms=_without_flags(kept))
    if any(flag in data.transforms for flag in _CONTAINER_FLAGS):
        return kept.derive(transforms=_without_flags(kept))
    return kept


def _names_object_dtype(dtype: Any) -> bool:
    name = dtype.name if isinstance(dtype, Ref) else dtype if isinstance(dtype, str) else None
    return name in _OBJECT_DTYPES


def _without_flags(data: DataV) -> tuple[str, ...]:
    return tuple(t for t in data.transforms if t not in _CONTAINER_FLAGS)


def layer_on_data(layer: Obj, data: DataV) -> Any:
    """A Keras layer called on data outside a model (in a ``Dataset.map`` function, usually)."""
    short = layer.short
    if short in DATA_SCALING_LAYERS:
        return data.derive("scaled")
    if short in VALUE_PRESERVING_LAYERS:
        return shape_kept(data, short)
    return UNK


def shape_kept(data: DataV, operation: str) -> DataV:
    """``data`` after an operation that keeps its values: its shape only if the operation keeps
    shapes (``astype``, ``np.array``), else the shape becomes unknown (``flatten``, ``.T``...)."""
    if data.columns is None or operation in SHAPE_KEEPING:
        return data
    return data.derive()


def reshaped(data: DataV, dims: Any) -> DataV:
    """``data.reshape(dims)``: a 2-D array with a constant second axis knows it (``(-1, 1)``)."""
    columns = None
    if isinstance(dims, Seq) and not dims.appended and len(dims.items) == 2:
        second = dims.items[1]
        if isinstance(second, int) and not isinstance(second, bool) and second > 0:
            columns = second
    return data.derive(columns=columns)


def object_method(obj: Obj, method: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                  loc: Loc) -> Any:
    """A method of a library object applied to data: scalers, encoders, image generators."""
    first = args[0] if args else None
    short = obj.short
    if short == "ImageDataGenerator":
        rescales = obj.attrs.get(STAR_KWARGS, False) or any(
            k in obj.kwargs
            for k in ("rescale", "preprocessing_function", "featurewise_std_normalization",
                      "samplewise_std_normalization", "featurewise_center", "samplewise_center")
        )
        if method in ("flow_from_directory", "flow_from_dataframe"):
            data = _with_directory_labels(DataV("image_directory", loc, role="dataset"),
                                          kwargs.get("class_mode", "categorical"), loc,
                                          kwargs.get("classes"))
        elif method == "flow" and isinstance(first, DataV):
            data = first.derive(role="dataset", parts=tuple(args[:2]))
        else:
            return None
        # "image_generator": the batches come from an ImageDataGenerator (its own rescale= is
        # the fix to advise when they are raw pixels).
        return data.derive("image_generator", "scaled") if rescales else data.derive(
            "image_generator")
    if method in ("fit_transform", "transform") and short == "LabelEncoder" and first is not None and (
            not isinstance(first, DataV)) and obj.name.startswith("sklearn."):
        # Whatever it is given (a list of strings, an array built elsewhere), a LabelEncoder
        # returns integer class indexes 0..n-1.
        return DataV("unknown", loc, role="labels", transforms=("encoded",), label_kind="integer")
    if method in ("fit_transform", "transform") and isinstance(first, DataV):
        if "MultiLabel" in short:
            # MultiLabelBinarizer: several 1s per row (multi-label targets), not one-hot.
            return first.derive("multihot", label_kind="multilabel")
        if "OneHot" in short or "LabelBinarizer" in short:
            return first.derive("onehot", label_kind="onehot")
        if "LabelEncoder" in short or "OrdinalEncoder" in short:
            return first.derive("encoded", label_kind="integer")
        if "Imputer" in short:
            return first.derive("nan_handled")
        if short in COMPOSITE_TRANSFORMERS:
            # A pipeline may impute as well as scale: its steps are not followed.
            return first.derive("scaled", "normalized", "pipeline")
        return first.derive("scaled", "normalized", bounds=scaler_range(obj, first),
                            label_kind="continuous" if first.label_kind == "continuous" else None)
    return None
