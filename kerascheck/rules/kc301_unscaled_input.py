"""KC301 unscaled-input: raw [0, 255] pixels reach ``fit``."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import DataFact, FileFacts
from kerascheck.rules._data_inputs import (
    IMAGE_DATASETS, RANGE_KEEPING, fits, keeps_raw_range, model_may_handle_inputs, shown_name,
)
from kerascheck.rules.base import Finding, Rule, RuleContext

_SOURCES = {
    "image_files": "decoded image files",
    "image_directory": "images read from a directory",
}


def _source(data: DataFact) -> str | None:
    """Where the raw pixels come from, for the message; None when they are not raw image data."""
    if data.origin in IMAGE_DATASETS:
        return f"{IMAGE_DATASETS[data.origin]}.load_data()"
    return _SOURCES.get(data.origin)


def _fix(data: DataFact) -> str:
    """How to scale, where the pixels are made: the generator's own ``rescale=``, a map over a
    dataset, or a division of the array."""
    if data.has("image_generator"):
        return ("give the generator rescale=1./255 (ImageDataGenerator(rescale=1./255, ...)) or "
                "start the model with layers.Rescaling(1.0 / 255)")
    if data.origin == "image_directory":
        return ("start the model with layers.Rescaling(1.0 / 255) or map the dataset "
                "(ds.map(lambda x, y: (x / 255.0, y)))")
    return ('divide by 255 first (x = x.astype("float32") / 255.0) or start the model with '
            "layers.Rescaling(1.0 / 255)")


class UnscaledInput(Rule):
    """Raw image pixels in [0, 255] are fed to `fit` with no scaling on the way or in the model.

    ## What it flags
    Image data that reaches `model.fit` (or `fit_generator`) as raw 8-bit pixel values: arrays from
    `keras.datasets` image loaders (`mnist`, `fashion_mnist`, `cifar10`, `cifar100`), images decoded
    from files (`cv2.imread`, `PIL.Image.open`, `load_img` + `img_to_array`, collected into a list and
    turned into an array), an `ImageDataGenerator()` without `rescale`/`preprocessing_function`, or
    `image_dataset_from_directory` - when nothing on the way divides them (`x / 255.0`, `x /= 255`),
    standardises them (a scaler, `preprocess_input`, `tf.image.convert_image_dtype` or a division in a
    `Dataset.map` function) and the model does not start from a `Rescaling`/`Normalization` layer.

    Only the value that actually reaches `fit` counts: a scaled copy that is thrown away or
    overwritten by the raw array does not. The rule is quiet when the model may rescale by itself
    (a `keras.applications` base, a `Lambda`, a tensor operation such as `inputs / 255.0`, a
    normalization layer, a custom layer) or is built where it cannot be seen.

    It also flags such images divided with floor division (`x // 255`, `x //= 255`, often written
    because `x /= 255` fails on a `uint8` array): every pixel becomes 0 or 1, whatever the model does
    afterwards.

    ## Why it breaks training
    Keras' default initialisers assume inputs of roughly unit scale. Pixels up to 255 make the first
    layer's pre-activations hundreds of times too large: ReLUs die or explode, sigmoids and softmax
    saturate, and the first gradients are huge. Depending on the optimizer and the activations the
    loss jumps to NaN, accuracy sits at chance level (10% on MNIST), or training converges slowly to a
    worse model than the same network trained on `x / 255.0`.

    ## Example
    ```python
    import keras
    from keras import layers

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32")

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, batch_size=128)
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255.0

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, batch_size=128)
    ```

    ## References
    - Keras `Rescaling` layer: https://keras.io/api/layers/preprocessing_layers/image_preprocessing/rescaling/
    - keras.io, "Simple MNIST convnet" (scales images to [0, 1]): https://keras.io/examples/vision/mnist_convnet/
    - CS231n, data preprocessing: https://cs231n.github.io/neural-networks-2/#datapre
    - LeCun, Bottou, Orr, Müller, "Efficient BackProp" (1998), section 4.3 "Normalizing the inputs"
    """

    code = "KC301"
    name = "unscaled-input"
    severity = Severity.WARNING
    default_enabled = True

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, fit in fits(facts):
            data = fit.x
            if data is None or data.role == "labels":
                continue
            source = _source(data)
            shown = shown_name(data, "the images")
            if source is not None and data.has("floor_divided") and all(
                    t in RANGE_KEEPING or t == "floor_divided" for t in data.transforms):
                # Whatever the model does next, the pixel values are already lost.
                yield Finding(
                    data.loc,
                    f"{shown} is divided with // on its way to {fit.method}(): floor division "
                    f"turns every pixel of {source} into 0 or 1, so the images are almost blank "
                    f"and accuracy stays near chance; use true "
                    f"division: x = x.astype(\"float32\") / 255.0",
                )
                continue
            if source is None or not keeps_raw_range(data) or model_may_handle_inputs(model):
                continue
            yield Finding(
                data.loc,
                f"{shown} reaches {fit.method}() as raw pixels in [0, 255] from {source} with no "
                f"scaling on the way or in the model: inputs that large saturate activations and "
                f"blow up the first gradients, so the loss goes NaN or accuracy stays at chance; "
                f"{_fix(data)}",
            )
