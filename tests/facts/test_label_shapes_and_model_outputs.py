"""Extractor idioms behind the label-shape and custom-loss findings: the second axis of reshaped
arrays (``y.reshape(-1, 1).shape[1]``), LabelEncoder and pad_sequences labels, one-entry loss
dicts, and a model's output reaching a logits loss in custom code."""

from __future__ import annotations

import textwrap

import libcst as cst

from kerascheck.facts.extract import extract_facts
from kerascheck.facts.model import DataFact, FileFacts, ModelFacts


def facts_of(source: str) -> FileFacts:
    return extract_facts(cst.parse_module(textwrap.dedent(source)))


def only_model(facts: FileFacts) -> ModelFacts:
    (model,) = facts.models
    return model


def head_units(source: str) -> list[int | None]:
    """The head units of every Dense layer ``Dense(units_<i>)`` model, in order."""
    facts = facts_of(source)
    return [m.layers[-1].units for m in facts.models]


def labels_of(facts: FileFacts) -> list[DataFact]:
    return [fit.y for model in facts.models for fit in model.fits if fit.y is not None]


PRELUDE = """
import numpy as np
import pandas as pd
from sklearn.preprocessing import LabelEncoder
from tensorflow import keras
raw = pd.read_csv("classes.csv")["kind"].values
"""


def test_reshape_to_one_column_gives_a_known_second_axis() -> None:
    units = head_units(PRELUDE + """
y = LabelEncoder().fit_transform(raw).reshape(-1, 1)
a = keras.Sequential([keras.layers.Dense(y.shape[1])])
y2 = np.reshape(raw, (len(raw), 3))
b = keras.Sequential([keras.layers.Dense(y2.shape[-1])])
y3 = raw.reshape((-1, 1)).astype("float32")
c = keras.Sequential([keras.layers.Dense(y3.shape[1])])
""")
    assert units == [1, 3, 1]


def test_shape_changes_forget_the_second_axis() -> None:
    units = head_units(PRELUDE + """
y = raw.reshape(-1, 1)
a = keras.Sequential([keras.layers.Dense(y.T.shape[1])])
b = keras.Sequential([keras.layers.Dense(y[:, 0].shape[1])])
c = keras.Sequential([keras.layers.Dense(np.hstack([y, y]).shape[1])])
d = keras.Sequential([keras.layers.Dense(y.reshape(-1, 2, 2).shape[1])])
e = keras.Sequential([keras.layers.Dense((y / 2).shape[1])])
f = keras.Sequential([keras.layers.Dense(keras.utils.to_categorical(raw).shape[1])])
g = keras.Sequential([keras.layers.Dense(y[:100].shape[1])])
""")
    assert units == [None, None, None, None, None, None, 1]


def test_reshape_in_one_branch_only_is_unknown_after_it() -> None:
    units = head_units(PRELUDE + """
y = raw.reshape(-1, 4)
if raw.ndim == 1:
    y = raw.reshape(-1, 1)
m = keras.Sequential([keras.layers.Dense(y.shape[1])])
""")
    assert units == [None]


def test_label_encoder_output_is_integer_labels_whatever_its_input() -> None:
    facts = facts_of(PRELUDE + """
names = ["cat", "dog"] * 50
y = LabelEncoder().fit_transform(names)
m = keras.Sequential([keras.layers.Dense(2, activation="softmax")])
m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
m.fit(np.zeros((100, 4)), y)
""")
    (y,) = labels_of(facts)
    assert (y.role, y.label_kind) == ("labels", "integer")


def test_pad_sequences_output_is_integer_token_ids() -> None:
    facts = facts_of("""
import numpy as np
from tensorflow import keras
from tensorflow.keras.preprocessing.sequence import pad_sequences

seqs = np.array(pad_sequences([[3, 1], [4, 1, 5]], maxlen=4))
words = pad_sequences([["a"], ["b", "c"]], dtype="object", value="")
m = keras.Sequential([keras.layers.Embedding(10, 4), keras.layers.Dense(10, activation="softmax")])
m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
m.fit(seqs[:, :-1], seqs[:, -1])
m.fit(seqs, words)
""")
    next_word, strings = labels_of(facts)
    assert (next_word.origin, next_word.label_kind) == ("token_ids", "integer")
    assert strings.origin == "unknown"


def test_one_entry_loss_dict_or_list_is_the_loss_of_a_one_output_model() -> None:
    facts = facts_of("""
from tensorflow import keras

inp = keras.Input(shape=(8,))
out = keras.layers.Dense(3, activation="softmax", name="kind")(inp)
single = keras.Model(inp, out)
single.compile(optimizer="adam", loss={"kind": "categorical_crossentropy"})
listed = keras.Model(inp, out)
listed.compile(optimizer="adam", loss=[keras.losses.CategoricalCrossentropy(from_logits=True)])
aux = keras.layers.Dense(1, name="aux")(inp)
double = keras.Model(inp, [out, aux])
double.compile(optimizer="adam", loss={"kind": "categorical_crossentropy"})
""")
    single, listed, double = facts.models
    assert single.compile.loss.name == "categorical_crossentropy"
    assert listed.compile.loss.name == "categorical_crossentropy"
    assert listed.compile.loss.from_logits is True
    assert double.compile.loss.name is None and double.compile.loss.custom


def test_model_output_reaching_a_logits_loss_in_custom_code() -> None:
    facts = facts_of("""
import tensorflow as tf

net = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="softmax")])
scce = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
plain = tf.keras.losses.SparseCategoricalCrossentropy()

def step(x, y):
    with tf.GradientTape() as tape:
        out = net(x, training=True)
        a = scce(y, out)
        b = plain(y, out)
        c = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=tf.math.log(out))
        d = tf.nn.softmax_cross_entropy_with_logits(y, tf.reshape(out, [-1, 4]))
    return a + b + c + d
""")
    uses = only_model(facts).logits_uses
    assert [(u.callee, u.applies) for u in uses] == [
        ("keras.losses.SparseCategoricalCrossentropy", "softmax"),
        ("tf.nn.softmax_cross_entropy_with_logits", "softmax"),
    ]


def test_loss_function_given_to_compile_sees_the_model_output() -> None:
    facts = facts_of("""
import tensorflow as tf

def masked_bce(y_true, y_pred):
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred))

def unused(y_true, y_pred):
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)

net = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid")])
net.compile(optimizer="adam", loss=masked_bce)
""")
    (use,) = only_model(facts).logits_uses
    assert (use.callee, use.applies) == ("tf.nn.sigmoid_cross_entropy_with_logits", "sigmoid")
