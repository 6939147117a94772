"""How data changes on its way to ``fit``: the data half of the interpreter's vocabulary.

Each function takes interpreter values and returns the value of the expression (a ``DataV`` with the
transforms recorded), or ``None`` when the call is not a data operation we model. Unknown operations
on data give ``UNK`` (the interpreter's default), so rules stay quiet rather than guess.
"""

from __future__ import annotations

from typing import Any

from kerascheck.facts.model import Loc
from kerascheck.facts.values import UNK, DataV, Obj, Seq, const_number

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
    }
)
NAN_HANDLING = frozenset({"dropna", "fillna", "interpolate", "ffill", "bfill", "nan_to_num", "replace"})
IMAGE_READERS = frozenset({"imread", "load_img", "img_to_array", "open", "decode_jpeg",
                           "decode_png", "decode_image", "read_image", "decode_bmp"})


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
        features = DataV(origin, loc, role="features")
        labels = DataV(origin, loc, role="labels", num_classes=classes, label_kind=kind)
        return Seq([features, labels])

    return Seq([split(), split()])


def binop(left: Any, operator: str, right: Any) -> Any:
    """Arithmetic with data on one side."""
    if isinstance(left, DataV):
        if operator in ("/", "//"):
            return left.derive("label_scaled" if left.role == "labels" else "scaled")
        if operator == "*":
            factor = const_number(right)
            if factor is not None and 0 < abs(factor) < 1:
                return left.derive("scaled")
            return left.derive("multiplied")
        if operator in ("-", "+"):
            return left.derive("shifted") if not isinstance(right, DataV) else left
        return UNK
    if isinstance(right, DataV):
        if operator == "*":
            factor = const_number(left)
            if factor is not None and 0 < abs(factor) < 1:
                return right.derive("scaled")
        return UNK
    return None


def library_call(short: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                 loc: Loc) -> Any:
    """A library function applied to data, or one that creates data; None if not a data call."""
    first = args[0] if args else None
    if name.startswith("keras.datasets.") and short == "load_data":
        return dataset_loader(name, loc)
    if short in ("to_categorical",) or name in ("tf.one_hot", "keras.ops.one_hot") or (
        short == "get_dummies" and isinstance(first, DataV) and first.role != "features"
    ):
        classes = args[1] if len(args) > 1 else kwargs.get("num_classes", kwargs.get("depth"))
        count = int(classes) if isinstance(classes, int) and not isinstance(classes, bool) else None
        base = first if isinstance(first, DataV) else DataV("unknown", loc, role="labels")
        if count is None and base.num_classes is not None and short == "to_categorical":
            count = None  # inferred at run time from the labels: stays unknown
        return base.derive("onehot", label_kind="onehot", num_classes=count)
    if short in ("image_dataset_from_directory",):
        return DataV("image_directory", loc, role="dataset")
    if short in ("read_csv", "read_excel", "read_parquet", "read_table", "read_json", "loadtxt",
                 "genfromtxt", "read_sql") and name.split(".")[0] in ("pandas", "pd", "numpy",
                                                                      "np", "polars"):
        return DataV("read_csv", loc, role="frame")
    if short in IMAGE_READERS and isinstance(first, (str, DataV)) or (
        short in ("imread", "load_img") and name.split(".")[0] in ("cv2", "imageio", "skimage",
                                                                   "matplotlib", "keras", "PIL")
    ):
        if short == "img_to_array" and isinstance(first, DataV):
            return first
        return DataV("image_files", loc, role="features")
    if short == "train_test_split":
        out: list[Any] = []
        for value in args:
            out.extend([value, value] if isinstance(value, DataV) else [UNK, UNK])
        return Seq(out) if out else UNK
    if short == "from_tensor_slices" or short == "from_tensors":
        if isinstance(first, Seq) and first.items:
            parts = tuple(first.items)
            lead = parts[0]
            if isinstance(lead, DataV):
                return lead.derive(role="dataset", parts=parts)
            return UNK
        if isinstance(first, DataV):
            return first.derive(role="dataset", parts=(first,))
        return UNK
    if not isinstance(first, DataV):
        if short == "array" and isinstance(first, Seq) and first.is_list:
            elements = [v for v in first.items + first.appended if isinstance(v, DataV)]
            if elements:
                return elements[0].derive("reshaped")
        return None
    if short in SCALING_FUNCTIONS:
        return first.derive("scaled")
    if short in NAN_HANDLING:
        return first.derive("nan_handled")
    if short in ("divide", "true_divide", "truediv"):
        return first.derive("scaled")
    if short in PRESERVING or name in ("tf.math.add", "tf.math.multiply"):
        return first
    if short == "log" or short == "log1p":
        return first.derive("log")
    return None


def method_call(data: DataV, method: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                loc: Loc) -> Any:
    """A method called on data (``x.astype(...)``, ``df.dropna()``, ``ds.map(fn)``...)."""
    if method in NAN_HANDLING:
        return data.derive("nan_handled")
    if method in ("div", "divide", "truediv"):
        return data.derive("scaled")
    if method in PRESERVING:
        return data
    if method in ("apply", "applymap", "transform", "pipe"):
        return UNK
    return UNK


def object_method(obj: Obj, method: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                  loc: Loc) -> Any:
    """A method of a library object applied to data: scalers, encoders, image generators."""
    first = args[0] if args else None
    short = obj.short
    if short == "ImageDataGenerator":
        rescales = any(
            k in obj.kwargs
            for k in ("rescale", "preprocessing_function", "featurewise_std_normalization",
                      "samplewise_std_normalization", "featurewise_center", "samplewise_center")
        )
        if method in ("flow_from_directory", "flow_from_dataframe"):
            data = DataV("image_directory", loc, role="dataset")
        elif method == "flow" and isinstance(first, DataV):
            data = first.derive(role="dataset", parts=tuple(args[:2]))
        else:
            return None
        return data.derive("scaled") if rescales else data
    if method in ("fit_transform", "transform") and isinstance(first, DataV):
        if "OneHot" in short or "LabelBinarizer" in short:
            return first.derive("onehot", label_kind="onehot")
        if "LabelEncoder" in short or "OrdinalEncoder" in short:
            return first.derive("encoded", label_kind="integer")
        if "Imputer" in short:
            return first.derive("nan_handled")
        return first.derive("scaled", "normalized")
    return None
