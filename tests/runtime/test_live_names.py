"""live_names maps live Keras objects onto the static pass's canonical vocabulary."""

from __future__ import annotations

import pytest

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

from keras import activations, layers, losses, metrics, optimizers  # noqa: E402

from kerascheck.runtime.live_names import (  # noqa: E402
    activation_name, compiled_loss, loss_name, metric_name, metric_names, optimizer_info,
)


def _custom_loss(y_true, y_pred):
    return y_pred


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        ("mse", ("mean_squared_error", None)),
        ("categorical_crossentropy", ("categorical_crossentropy", None)),
        ("bce", ("binary_crossentropy", None)),
        (losses.CategoricalCrossentropy(from_logits=True), ("categorical_crossentropy", True)),
        (losses.SparseCategoricalCrossentropy(), ("sparse_categorical_crossentropy", False)),
        (losses.MeanSquaredError(), ("mean_squared_error", None)),
        (losses.categorical_crossentropy, ("categorical_crossentropy", None)),
        (losses.get("mae"), ("mean_absolute_error", None)),
        (_custom_loss, (None, None)),
        ({"out": "mse"}, (None, None)),
        (["mse", "mae"], (None, None)),
        (None, (None, None)),
        ("my_loss", (None, None)),
    ],
)
def test_loss_name(loss, expected):
    assert loss_name(loss) == expected


def test_custom_loss_class_is_not_named():
    class MyLoss(losses.Loss):
        def call(self, y_true, y_pred):
            return y_pred

    assert loss_name(MyLoss()) == (None, None)


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (activations.softmax, "softmax"),
        (activations.get(None), "linear"),
        (None, "linear"),
        (activations.relu, "relu"),
        (activations.swish, "silu"),
        (tf.nn.softmax, "softmax"),
        (tf.nn.relu, "relu"),
        (layers.LeakyReLU(), "leaky_relu"),
        (layers.Activation("sigmoid"), "sigmoid"),
        (lambda x: x, None),
        (_custom_loss, None),
    ],
)
def test_activation_name(fn, expected):
    assert activation_name(fn) == expected


def test_layer_activation_attribute():
    assert activation_name(layers.Dense(3, activation="softmax").activation) == "softmax"
    assert activation_name(layers.Dense(3).activation) == "linear"


def test_metric_names_from_compile_args():
    args = {"metrics": ["acc", metrics.CategoricalAccuracy(), metrics.categorical_accuracy,
                        _custom_loss, {"out": ["mae"]}]}
    assert metric_names(args) == ["accuracy", "categorical_accuracy", "categorical_accuracy",
                                  "mean_absolute_error"]
    assert metric_name(_custom_loss) is None


def test_metric_names_and_loss_from_compiled_model():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    model.compile("adam", "mse", metrics=["acc"])
    assert metric_names(model) == ["accuracy"]
    assert compiled_loss(model) == "mse"
    assert compiled_loss(model, {"loss": "mae"}) == "mae"


def test_optimizer_info_object():
    info = optimizer_info(optimizers.Adam(3e-4, clipnorm=1.0, epsilon=1e-10))
    assert info == {"kind": "Adam", "learning_rate": 3e-4, "schedule": None, "clipping": ("clipnorm",),
                    "epsilon": 1e-10, "from_string": False}


def test_optimizer_info_schedules():
    decay = optimizers.schedules.ExponentialDecay(0.1, decay_steps=100, decay_rate=0.9)
    info = optimizer_info(optimizers.SGD(decay, global_clipnorm=5.0))
    assert (info["kind"], info["learning_rate"], info["schedule"], info["clipping"]) == (
        "SGD", 0.1, "ExponentialDecay", ("global_clipnorm",))
    piecewise = optimizers.schedules.PiecewiseConstantDecay([10], [0.5, 0.1])
    assert optimizer_info(optimizers.SGD(piecewise))["learning_rate"] == 0.5


def test_optimizer_info_string_and_wrapper():
    assert optimizer_info("adam") == {"kind": "Adam", "learning_rate": 0.001, "schedule": None,
                                      "clipping": (), "epsilon": None, "from_string": True}
    wrapped = keras.optimizers.LossScaleOptimizer(optimizers.RMSprop(0.01))
    assert optimizer_info(wrapped)["kind"] == "RMSprop"
    assert optimizer_info(wrapped)["learning_rate"] == 0.01
    assert optimizer_info(None)["kind"] is None


def test_user_metric_class_is_not_named():
    class Hits(metrics.Metric):
        def update_state(self, y_true, y_pred, sample_weight=None):
            return None

        def result(self):
            return 0.0

    assert metric_name(Hits()) is None
    assert metric_name(metrics.AUC()) == "auc"


def test_custom_loss_name_is_only_for_the_users_own_losses() -> None:
    from kerascheck.runtime.live_names import custom_loss_name

    def my_loss(y_true, y_pred):
        return y_pred

    class Focal:  # a user class (Keras would want a keras.losses.Loss; the name is what matters)
        pass

    assert custom_loss_name(my_loss) == "my_loss"
    assert custom_loss_name(Focal()) == "Focal"
    assert custom_loss_name("mse") is None and custom_loss_name(None) is None
    assert custom_loss_name({"out": my_loss}) is None
    keras = pytest.importorskip("keras")
    assert custom_loss_name(keras.losses.BinaryCrossentropy()) is None
    assert custom_loss_name(keras.losses.mean_squared_error) is None
