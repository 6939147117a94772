"""What the extractor knows about the data that reaches ``fit`` (dataflow.py and the interpreter's data
idioms): where it comes from and what happened to it on the way. One test per idiom the data rules
(KC301-KC303) rely on; no dataset is ever loaded, the pass is static."""

from __future__ import annotations

import textwrap

import libcst as cst

from kerascheck.facts.extract import extract_facts
from kerascheck.facts.model import DataFact, FitFacts


def fit_list(source: str) -> list[FitFacts]:
    facts = extract_facts(cst.parse_module(textwrap.dedent(source)))
    return [fit for model in facts.models for fit in model.fits]


def xs(source: str) -> list[DataFact]:
    """The ``x`` of every fit, in order."""
    found = [fit.x for fit in fit_list(source)]
    assert all(x is not None for x in found)
    return found  # type: ignore[return-value]


MODEL = """
import numpy as np
import keras
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""


def test_mnist_loader_gives_raw_features_and_labels() -> None:
    fit = fit_list(MODEL + """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
model.fit(x_train, y_train)
""")[0]
    assert (fit.x.origin, fit.x.role, fit.x.transforms) == ("dataset:mnist", "features", ())
    assert (fit.y.origin, fit.y.role, fit.y.num_classes) == ("dataset:mnist", "labels", 10)
    assert fit.x.source_name == "x_train" and fit.y.source_name == "y_train"


def test_reshape_astype_then_augmented_division_scales() -> None:
    (x,) = xs(MODEL + """
from keras.datasets import mnist
(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.reshape(60000, 784).astype('float32')
x_train /= 255
model.fit(x_train, y_train)
""")
    assert x.origin == "dataset:mnist" and x.has("scaled")


def test_tuple_assignment_scales_each_element() -> None:
    a, b = xs(MODEL + """
(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
model.fit(x_train, y_train)
model.fit(x_test, y_test)
""")
    assert a.has("scaled") and b.has("scaled")


def test_expand_dims_and_cast_keep_the_raw_range() -> None:
    (x,) = xs(MODEL + """
(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = np.expand_dims(x_train, -1).astype("float32")
model.fit(x_train, y_train)
""")
    assert x.origin == "dataset:mnist" and set(x.transforms) <= {"reshaped", "cast"}


def test_scaling_inside_a_helper_function_is_followed() -> None:
    scaled, raw = xs(MODEL + """
def preprocess(x):
    return x.astype('float32') / 255
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = preprocess(x_train)
model.fit(x_train, y_train)
model.fit(x_test, y_test)
""")
    assert scaled.has("scaled") and not raw.has("scaled")


def test_global_statement_in_a_function_rebinds_the_module_name() -> None:
    (x,) = xs(MODEL + """
(x_train, y_train), _ = keras.datasets.mnist.load_data()
def normalize():
    global x_train
    x_train = x_train / 255.0
normalize()
model.fit(x_train, y_train)
""")
    assert x.has("scaled")


def test_discarded_scaler_output_and_overwritten_copy_are_not_scaling() -> None:
    discarded, overwritten = xs(MODEL + """
import pandas as pd
from sklearn.preprocessing import StandardScaler
df = pd.read_csv("data.csv")
X = df.drop("y", axis=1).values
StandardScaler().fit_transform(X)
model.fit(X, df["y"])
(x_train, y_train), _ = keras.datasets.mnist.load_data()
raw = x_train
x_train = x_train / 255.0
x_train = raw
model.fit(x_train, y_train)
""")
    assert discarded.origin == "read_csv" and discarded.transforms == ()
    assert overwritten.origin == "dataset:mnist" and not overwritten.has("scaled")


def test_read_csv_split_and_standard_scaler() -> None:
    scaled_train, scaled_test, raw = xs(MODEL + """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
df = pd.read_csv("data.csv")
X = df.iloc[:, :-1].values
y = df.iloc[:, -1].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.transform(X_test)
model.fit(X_train, y_train)
model.fit(X_test, y_test)
model.fit(X, y)
""")
    assert scaled_train.origin == "read_csv" and scaled_train.has("scaled")
    assert scaled_test.has("scaled")
    assert raw.origin == "read_csv" and raw.role == "frame" and raw.transforms == ()


def test_column_assignment_from_a_scaler_scales_the_frame() -> None:
    (x,) = xs(MODEL + """
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
df = pd.read_csv("data.csv")
num_cols = ["age", "income"]
scaler = MinMaxScaler()
df[num_cols] = scaler.fit_transform(df[num_cols])
X = df.drop("target", axis=1).values
model.fit(X, df["target"].values)
""")
    assert x.has("scaled")


def test_mean_std_standardisation_scales() -> None:
    (x,) = xs(MODEL + """
import pandas as pd
df = pd.read_csv("data.csv")
X = (df - df.mean()) / df.std()
model.fit(X, None)
""")
    assert x.has("scaled")


def test_from_tensor_slices_map_with_cast_and_division() -> None:
    scaled, raw = xs(MODEL + """
import tensorflow as tf
(x, y), _ = keras.datasets.cifar10.load_data()
ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda x, y: (tf.cast(x, tf.float32) / 255., y)).batch(32)
raw = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda x, y: (tf.image.resize(x, (64, 64)), y)).batch(32)
model.fit(ds)
model.fit(raw)
""")
    assert scaled.origin == "dataset:cifar10" and scaled.role == "dataset" and scaled.has("scaled")
    assert raw.origin == "dataset:cifar10" and not raw.has("scaled")


def test_image_dataset_from_directory_and_a_rescaling_map() -> None:
    raw, scaled, augmented = xs(MODEL + """
from keras import layers
train_ds = keras.utils.image_dataset_from_directory("photos", image_size=(180, 180))
normalization_layer = layers.Rescaling(1. / 255)
normalized_ds = train_ds.map(lambda x, y: (normalization_layer(x), y))
data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])
augmented_ds = train_ds.map(lambda img, label: (data_augmentation(img), label))
model.fit(train_ds)
model.fit(normalized_ds)
model.fit(augmented_ds)
""")
    assert (raw.origin, raw.role, raw.transforms) == ("image_directory", "dataset", ())
    assert scaled.has("scaled")
    assert augmented.origin == "image_directory" and not augmented.has("scaled")


def test_image_data_generator_rescale_flow_and_fit_generator() -> None:
    fits = fit_list(MODEL + """
from keras.preprocessing.image import ImageDataGenerator
datagen = ImageDataGenerator(rescale=1. / 255)
train_gen = datagen.flow_from_directory("train", target_size=(150, 150), batch_size=32)
plain = ImageDataGenerator(horizontal_flip=True).flow_from_directory("train")
aug = dict(rotation_range=20)
hidden = ImageDataGenerator(**aug).flow_from_directory("train")
(x_train, y_train), _ = keras.datasets.cifar10.load_data()
flowed = ImageDataGenerator(rotation_range=10).flow(x_train, y_train, batch_size=32)
model.fit_generator(train_gen, steps_per_epoch=100)
model.fit(plain)
model.fit(hidden)
model.fit(flowed)
""")
    assert [f.method for f in fits] == ["fit_generator", "fit", "fit", "fit"]
    scaled, plain, hidden, flowed = (f.x for f in fits)
    assert scaled.origin == "image_directory" and scaled.has("scaled")
    assert plain.origin == "image_directory" and not plain.has("scaled")
    assert hidden.has("scaled")  # **kwargs we cannot see may rescale
    assert flowed.origin == "dataset:cifar10" and not flowed.has("scaled")


def test_decoded_image_files_in_a_loop_and_in_a_comprehension() -> None:
    loop, pil, keras_img, comp, comp_scaled = xs(MODEL + """
import os
import cv2
from PIL import Image
from keras.preprocessing.image import load_img, img_to_array
data, d2, d3 = [], [], []
for f in os.listdir("imgs"):
    img = cv2.imread(os.path.join("imgs", f))
    img = cv2.cvtColor(cv2.resize(img, (64, 64)), cv2.COLOR_BGR2RGB)
    data.append(img)
    d2.append(np.array(Image.open(os.path.join("imgs", f)).resize((64, 64))))
    d3.append(img_to_array(load_img(os.path.join("imgs", f), target_size=(64, 64))))
paths = sorted(os.listdir("imgs"))
images = np.array([cv2.resize(cv2.imread(p), (64, 64)) for p in paths])
scaled = np.array([img / 255.0 for img in images])
model.fit(np.array(data))
model.fit(np.array(d2))
model.fit(np.array(d3))
model.fit(images)
model.fit(scaled)
""")
    for raw in (loop, pil, keras_img, comp):
        assert raw.origin == "image_files" and not raw.has("scaled")
    assert comp_scaled.origin == "image_files" and comp_scaled.has("scaled")


def test_non_image_open_calls_are_not_image_files() -> None:
    (x,) = xs(MODEL + """
import gzip
with gzip.open("train-images.gz") as f:
    data = np.frombuffer(f.read(), np.uint8)
model.fit(gzip.open("x.gz"))
""")
    assert x.origin == "unknown"


def test_nan_handling_idioms() -> None:
    inplace, column_inplace, filtered, dropped, imputed, raw = xs(MODEL + """
import pandas as pd
from sklearn.impute import SimpleImputer
a = pd.read_csv("a.csv")
a.dropna(inplace=True)
b = pd.read_csv("b.csv")
b["age"].fillna(b["age"].mean(), inplace=True)
c = pd.read_csv("c.csv")
c = c[c["age"].notna()]
d = pd.read_csv("d.csv").dropna()
e = SimpleImputer(strategy="mean").fit_transform(pd.read_csv("e.csv"))
f = pd.read_csv("f.csv")
f.describe()
model.fit(a.values)
model.fit(b.values)
model.fit(c.values)
model.fit(d.values)
model.fit(e)
model.fit(f.values)
""")
    for handled in (inplace, column_inplace, filtered, dropped, imputed):
        assert handled.origin == "read_csv" and handled.has("nan_handled"), handled
    assert not raw.has("nan_handled")


def test_loadtxt_never_yields_nan_and_prepared_file_names() -> None:
    pima, prepared, plain = xs(MODEL + """
import pandas as pd
dataset = np.loadtxt("pima-indians-diabetes.csv", delimiter=",")
X = dataset[:, 0:8]
Z = pd.read_csv("data/train_scaled_clean.csv").values
W = pd.read_csv("data/train.csv").values
model.fit(X, dataset[:, 8])
model.fit(Z)
model.fit(W)
""")
    assert pima.origin == "read_csv" and pima.transforms == ("nan_handled",)
    assert prepared.has("scaled") and prepared.has("nan_handled")
    assert plain.transforms == ()


def test_pipelines_are_marked_as_such() -> None:
    (x,) = xs(MODEL + """
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
pipe = make_pipeline(SimpleImputer(), StandardScaler())
X = pipe.fit_transform(pd.read_csv("a.csv"))
model.fit(X)
""")
    assert x.has("scaled") and x.has("pipeline")


def test_several_inputs_are_marked_multiple() -> None:
    (x,) = xs(MODEL + """
(x_train, y_train), _ = keras.datasets.mnist.load_data()
meta = np.zeros((60000, 3))
model.fit([x_train, meta], y_train)
""")
    assert x.origin == "dataset:mnist" and x.has("multiple")


def test_read_csv_through_a_visible_windowing_function() -> None:
    (x,) = xs(MODEL + """
import pandas as pd
df = pd.read_csv("prices.csv")
data = df["Close"].values
def create_dataset(dataset, look_back=1):
    dataX, dataY = [], []
    for i in range(len(dataset) - look_back - 1):
        dataX.append(dataset[i:(i + look_back)])
        dataY.append(dataset[i + look_back])
    return np.array(dataX), np.array(dataY)
trainX, trainY = create_dataset(data, 3)
model.fit(trainX, trainY)
""")
    assert x.origin == "read_csv" and x.role == "column" and not x.has("scaled")


def test_directory_dataset_split_both_and_an_augmentation_function() -> None:
    train, val = xs(MODEL + """
from keras import layers
train_ds, val_ds = keras.utils.image_dataset_from_directory(
    "PetImages", validation_split=0.2, subset="both", seed=1337, image_size=(180, 180))
augmentation_layers = [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)]
def data_augmentation(images):
    for layer in augmentation_layers:
        images = layer(images)
    return images
train_ds = train_ds.map(lambda img, label: (data_augmentation(img), label))
model.fit(train_ds)
model.fit(val_ds)
""")
    assert (train.origin, train.transforms) == ("image_directory", ())
    assert (val.origin, val.transforms) == ("image_directory", ())


def test_layers_applied_to_data_scale_or_keep_it() -> None:
    scaled, kept, unknown = xs(MODEL + """
from keras import layers
(x_train, y_train), _ = keras.datasets.mnist.load_data()
model.fit(layers.Rescaling(1. / 255)(x_train))
model.fit(layers.Resizing(32, 32)(x_train))
model.fit(layers.Dense(4)(x_train))
""")
    assert scaled.has("scaled")
    assert kept.origin == "dataset:mnist" and kept.transforms == ()
    assert unknown.origin == "unknown"


def test_data_that_differs_between_branches_is_unknown() -> None:
    branch, same, maybe = xs(MODEL + """
import sys
(x_train, y_train), _ = keras.datasets.mnist.load_data()
if sys.argv[1] == "norm":
    x_train = x_train / 255.0
else:
    x_train = x_train.astype("float32")
(x3, y3), _ = keras.datasets.mnist.load_data()
if keras.backend.image_data_format() == "channels_first":
    x3 = x3.reshape(-1, 1, 28, 28)
else:
    x3 = x3.reshape(-1, 28, 28, 1)
(x4, y4), _ = keras.datasets.mnist.load_data()
try:
    x4 = np.load("cache.npy")
except OSError:
    pass
model.fit(x_train, y_train)
model.fit(x3, y3)
model.fit(x4, y4)
""")
    assert branch.origin == "unknown"
    assert same.origin == "dataset:mnist" and not same.has("scaled")
    assert maybe.origin == "unknown"


def test_image_libraries_that_return_unit_range_floats() -> None:
    resized, kept, gray, plt_read, cv_read = xs(MODEL + """
import cv2
import matplotlib.pyplot as plt
from skimage import io
from skimage.transform import resize
a = resize(io.imread("a.png"), (64, 64))
b = resize(io.imread("b.png"), (64, 64), preserve_range=True)
c = io.imread("c.png", as_gray=True)
d = plt.imread("d.png")
e = cv2.resize(cv2.imread("e.png"), (64, 64))
model.fit(np.array([a]))
model.fit(np.array([b]))
model.fit(np.array([c]))
model.fit(np.array([d]))
model.fit(np.array([e]))
""")
    assert resized.origin == "image_files" and resized.has("scaled")
    assert kept.origin == "image_files" and not kept.has("scaled")
    assert gray.has("scaled")
    assert plt_read.origin == "unknown"
    assert cv_read.origin == "image_files" and not cv_read.has("scaled")


def test_frame_item_assignments() -> None:
    loc_scaled, applied, encoded, row_scaled = xs(MODEL + """
import pandas as pd
from sklearn.preprocessing import StandardScaler
a = pd.read_csv("a.csv")
a.loc[:, ["x", "y"]] = StandardScaler().fit_transform(a[["x", "y"]])
b = pd.read_csv("b.csv")
b[["x", "y"]] = b[["x", "y"]].apply(lambda s: (s - s.mean()) / s.std())
c = pd.read_csv("c.csv")
c["sex"] = c["sex"].map({"male": 0, "female": 1})
(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train.astype("float32")
for i in range(len(x_train)):
    x_train[i] = x_train[i] / 255.0
model.fit(a.values)
model.fit(b.values)
model.fit(c.values)
model.fit(x_train)
""")
    assert loc_scaled.has("scaled") and applied.has("scaled")
    assert encoded.origin == "read_csv" and encoded.transforms == ()
    assert row_scaled.has("scaled")


def test_in_place_operators_change_every_alias() -> None:
    looped, in_function = xs(MODEL + """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.astype("float32")
x_test = x_test.astype("float32")
for x in (x_train, x_test):
    x /= 255.0
(a, b), _ = keras.datasets.cifar10.load_data()
a = a.astype("float32")
def normalize(images):
    images /= 255.0
normalize(a)
model.fit(x_test, y_test)
model.fit(a, b)
""")
    assert looped.has("scaled") and in_function.has("scaled")
