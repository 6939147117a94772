"""Extractor behaviour the loss/output/metric rules (KC101-KC110) rely on."""

from __future__ import annotations

import textwrap

import libcst as cst

from kerascheck.facts.extract import extract_facts
from kerascheck.facts.model import UNKNOWN, FileFacts, ModelFacts


def facts_of(source: str) -> FileFacts:
    return extract_facts(cst.parse_module(textwrap.dedent(source)))


def model_named(facts: FileFacts, name: str) -> ModelFacts:
    return next(m for m in facts.models if m.name == name)


def head_of(facts: FileFacts, name: str) -> tuple | None:
    head = model_named(facts, name).head
    return None if head is None else (head.kind, head.units, head.activation)


# -- activation functions applied to tensors ------------------------------------------------------------


def test_activation_functions_on_tensors_fold_onto_the_layer() -> None:
    facts = facts_of("""\
        import tensorflow as tf
        import keras
        import keras.backend as K
        from keras import ops

        inp = keras.Input(shape=(8,))
        a = keras.Model(inp, tf.nn.softmax(keras.layers.Dense(3)(inp)))
        b = keras.Model(inp, keras.activations.sigmoid(keras.layers.Dense(1)(inp)))
        c = keras.Model(inp, K.softmax(keras.layers.Dense(4)(inp)))
        d = keras.Model(inp, ops.softmax(keras.layers.Dense(5)(inp)))
        e = keras.Model(inp, tf.math.sigmoid(keras.layers.Dense(2)(inp)))
        """)
    assert head_of(facts, "a") == ("Dense", 3, "softmax")
    assert head_of(facts, "b") == ("Dense", 1, "sigmoid")
    assert head_of(facts, "c") == ("Dense", 4, "softmax")
    assert head_of(facts, "d") == ("Dense", 5, "softmax")
    assert head_of(facts, "e") == ("Dense", 2, "sigmoid")


def test_softmax_function_in_subclassed_call_and_its_axis() -> None:
    facts = facts_of("""\
        import tensorflow as tf

        class Net(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.out = tf.keras.layers.Dense(10)

            def call(self, x):
                return tf.nn.softmax(self.out(x), axis=1)

        net = Net()
        """)
    model = model_named(facts, "Net")
    assert head_of(facts, "Net") == ("Dense", 10, "softmax")
    activation = model.raw_layers[-1]
    assert activation.kind == "Activation" and activation.kwargs == {"axis": 1}


def test_operation_after_last_layer_hides_the_head() -> None:
    facts = facts_of("""\
        from tensorflow import keras
        import tensorflow as tf

        inp = keras.Input(shape=(8,))
        t = keras.layers.Dense(1, activation="tanh")(inp)
        rescaled = keras.Model(inp, (t + 1.0) / 2.0)
        squeezed = keras.Model(inp, tf.squeeze(keras.layers.Dense(1)(inp), -1))
        plain = keras.Model(inp, keras.layers.Dense(1)(inp))
        """)
    assert model_named(facts, "rescaled").output_after_op
    assert head_of(facts, "rescaled") is None
    assert head_of(facts, "squeezed") is None
    assert head_of(facts, "plain") == ("Dense", 1, "linear")
    assert not model_named(facts, "plain").output_after_op


def test_activation_layer_not_folded_across_flatten_or_reshape() -> None:
    facts = facts_of("""\
        from keras.models import Sequential
        from keras.layers import Dense, Flatten, Reshape, Activation, Dropout, LSTM

        attention = Sequential()
        attention.add(LSTM(8, return_sequences=True, input_shape=(10, 4)))
        attention.add(Dense(1, activation='tanh'))
        attention.add(Flatten())
        attention.add(Activation('softmax'))

        classic = Sequential()
        classic.add(Dense(10, input_dim=4))
        classic.add(Dropout(0.5))
        classic.add(Activation('softmax'))
        """)
    layers = model_named(facts, "attention").layers
    assert [(l.kind, l.activation) for l in layers] == [
        ("LSTM", "tanh"), ("Dense", "tanh"), ("Flatten", None), ("Activation", "softmax")]
    assert model_named(facts, "attention").head is None
    assert head_of(facts, "classic") == ("Dense", 10, "softmax")


# -- losses ----------------------------------------------------------------------------------------------


def test_from_logits_positional_and_not_constant() -> None:
    facts = facts_of("""\
        import sys
        from tensorflow import keras

        a = keras.Sequential([keras.layers.Dense(1)])
        a.compile(loss=keras.losses.BinaryCrossentropy(True))
        b = keras.Sequential([keras.layers.Dense(1)])
        b.compile(loss=keras.losses.BinaryCrossentropy(from_logits="--logits" in sys.argv))
        c = keras.Sequential([keras.layers.Dense(1)])
        c.compile(loss=keras.losses.BinaryCrossentropy())
        d = keras.Sequential([keras.layers.Dense(1)])
        d.compile(loss=keras.losses.BinaryFocalCrossentropy(True))
        """)
    assert model_named(facts, "a").compile.loss.from_logits is True
    assert model_named(facts, "b").compile.loss.from_logits is UNKNOWN
    assert model_named(facts, "c").compile.loss.from_logits is None
    # BinaryFocalCrossentropy's first parameter is apply_class_balancing, not from_logits.
    assert model_named(facts, "d").compile.loss.from_logits is None


def test_fit_records_the_compile_in_effect() -> None:
    facts = facts_of("""\
        import numpy as np
        from tensorflow import keras

        x = np.load("x.npy")
        model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(x, np.load("onehot.npy"))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x, np.load("ints.npy"))
        """)
    model = model_named(facts, "model")
    first, second = model.fits
    assert first.compile is not None and first.compile.loss.name == "categorical_crossentropy"
    assert first.compile != model.compile
    assert second.compile == model.compile


def test_compile_on_a_model_from_another_package() -> None:
    facts = facts_of("""\
        from mypackage.models import build_regressor

        model = build_regressor()
        model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
        """)
    (model,) = facts.models
    assert model.kind == "unknown" and not model.complete and model.head is None
    assert model.compile.loss.name == "mean_squared_error"
    assert [m.name for m in model.compile.metrics] == ["accuracy"]


# -- labels ----------------------------------------------------------------------------------------------


def _fit_labels(facts: FileFacts, name: str = "model") -> list:
    return [fit.y for fit in model_named(facts, name).fits]


def test_to_categorical_of_dataset_labels_knows_the_class_count() -> None:
    facts = facts_of("""\
        from tensorflow import keras

        (x, y), _ = keras.datasets.cifar100.load_data()
        model = keras.Sequential([keras.layers.Dense(100, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(x, keras.utils.to_categorical(y))
        model.fit(x, keras.utils.to_categorical(y, 20))
        """)
    inferred, explicit = _fit_labels(facts)
    assert inferred.label_kind == "onehot" and inferred.num_classes == 100
    assert explicit.num_classes == 20


def test_label_subsets_forget_the_class_count_but_slices_keep_it() -> None:
    facts = facts_of("""\
        from tensorflow import keras

        (x, y), _ = keras.datasets.mnist.load_data()
        model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x, y[y < 2])
        model.fit(x, y[:1000])
        model.fit(x, keras.utils.to_categorical(y[y < 5]))
        """)
    masked, sliced, onehot_subset = _fit_labels(facts)
    assert masked.label_kind == "integer" and masked.num_classes is None
    assert sliced.num_classes == 10
    assert onehot_subset.label_kind == "onehot" and onehot_subset.num_classes is None


def test_multilabel_binarizer_is_not_one_hot() -> None:
    facts = facts_of("""\
        import pandas as pd
        from sklearn.preprocessing import MultiLabelBinarizer, LabelBinarizer
        from tensorflow import keras

        df = pd.read_csv("data.csv")
        model = keras.Sequential([keras.layers.Dense(5, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(df[["a"]], MultiLabelBinarizer().fit_transform(df["tags"]))
        model.fit(df[["a"]], LabelBinarizer().fit_transform(df["label"]))
        """)
    multi, single = _fit_labels(facts)
    assert multi.label_kind == "multilabel" and not multi.has("onehot")
    assert single.label_kind == "onehot"


def test_dataset_map_updates_the_labels() -> None:
    facts = facts_of("""\
        import tensorflow as tf

        (x, y), _ = tf.keras.datasets.mnist.load_data()

        def prep(image, label):
            return tf.cast(image, tf.float32) / 255.0, tf.one_hot(label, 10)

        encoded = tf.data.Dataset.from_tensor_slices((x, y)).map(prep).batch(32)
        kept = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a / 255, b))
        model = tf.keras.Sequential([tf.keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(encoded)
        model.fit(kept)
        """)
    encoded, kept = _fit_labels(facts)
    assert encoded.role == "labels" and encoded.label_kind == "onehot"
    assert encoded.num_classes == 10
    assert kept.role == "labels" and kept.label_kind == "integer"


# -- values chosen by a branch ---------------------------------------------------------------------------


def test_conditional_expression_with_unknown_test_is_unknown_unless_both_agree() -> None:
    facts = facts_of("""\
        from tensorflow import keras

        def build(n_classes):
            model = keras.Sequential([
                keras.layers.Dense(1 if n_classes == 2 else n_classes,
                                   activation="sigmoid" if n_classes == 2 else "softmax"),
            ])
            model.compile(optimizer="adam" if n_classes else "adam",
                          loss="categorical_crossentropy" if n_classes > 2 else "binary_crossentropy")
            return model
        """)
    (model,) = facts.models
    assert (model.head.units, model.head.activation) == (None, None)
    assert model.compile.loss.name is None
    assert model.compile.optimizer.kind == "Adam"


def test_constant_assigned_in_a_branch_is_unknown_after_it() -> None:
    facts = facts_of("""\
        import sys
        from tensorflow import keras

        loss = "categorical_crossentropy"
        if "--binary" in sys.argv:
            loss = "binary_crossentropy"
        units = 10
        if "--small" in sys.argv:
            units = 10
        model = keras.Sequential([keras.layers.Dense(units, activation="softmax")])
        model.compile(optimizer="adam", loss=loss)
        """)
    (model,) = facts.models
    assert model.compile.loss.name is None
    assert model.head.units == 10


def test_directory_loaders_give_labels_by_mode() -> None:
    facts = facts_of("""\
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        gen = ImageDataGenerator(rescale=1. / 255)
        model = tf.keras.Sequential([tf.keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(tf.keras.utils.image_dataset_from_directory("d"))
        model.fit(tf.keras.utils.image_dataset_from_directory("d", label_mode="categorical"))
        model.fit(tf.keras.utils.image_dataset_from_directory("d", label_mode=None))
        model.fit(gen.flow_from_directory("d"))
        model.fit(gen.flow_from_directory("d", class_mode="sparse"))
        model.fit(gen.flow_from_directory("d", class_mode="input"))
        """)
    kinds = [None if y is None else y.label_kind for y in _fit_labels(facts)]
    assert kinds == ["integer", "onehot", None, "onehot", "integer", None]


def test_subclassed_call_returning_by_training_flag_has_no_known_head() -> None:
    facts = facts_of("""\
        import tensorflow as tf

        class Net(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.logits = tf.keras.layers.Dense(10)

            def call(self, x, training=False):
                x = self.logits(x)
                if not training:
                    return tf.nn.softmax(x)
                return x

        class Plain(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = tf.keras.layers.Dense(64, activation="relu")
                self.drop = tf.keras.layers.Dropout(0.5)
                self.logits = tf.keras.layers.Dense(10)

            def call(self, x, training=False):
                x = self.hidden(x)
                if training:
                    x = self.drop(x, training=training)
                return self.logits(x)

        net = Net()
        plain = Plain()
        """)
    assert model_named(facts, "Net").head is None
    assert head_of(facts, "Plain") == ("Dense", 10, "linear")


def test_linear_float32_activation_after_softmax_is_an_identity_cast() -> None:
    # the mixed-precision guide's idiom: the head computes softmax in float16, then a linear
    # Activation with dtype="float32" casts it; the head is still a softmax
    facts = facts_of("""\
        from tensorflow import keras
        from tensorflow.keras import layers, mixed_precision

        mixed_precision.set_global_policy("mixed_float16")
        inputs = keras.Input(shape=(784,))
        x = layers.Dense(256, activation="relu")(inputs)
        x = layers.Dense(10, activation="softmax")(x)
        outputs = layers.Activation("linear", dtype="float32")(x)
        mixed = keras.Model(inputs, outputs)

        logits = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(10),
            layers.Activation("linear", dtype="float32"),
        ])
        """)
    assert head_of(facts, "mixed") == ("Dense", 10, "softmax")
    assert head_of(facts, "logits") == ("Dense", 10, "linear")
