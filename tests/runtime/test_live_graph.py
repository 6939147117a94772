"""live_graph: a live model read as the static facts' layer chain (order, follows_op, completeness)."""

from __future__ import annotations

import pytest

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

from keras import layers, ops  # noqa: E402

from kerascheck.runtime.capture import SITE_ATTR  # noqa: E402
from kerascheck.runtime.live_graph import layer_chain  # noqa: E402
from kerascheck.runtime.measurements import Site  # noqa: E402


def _names(chain):
    return [(step.layer.name, step.follows_op) for step in chain.steps]


def test_sequential_in_order_with_nested_sequential_inlined():
    inner = keras.Sequential([layers.Dense(4, name="i1"), layers.Dense(4, name="i2")])
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4, name="a"), inner, layers.Dense(2, name="b")])
    chain = layer_chain(model)
    assert chain.kind == "sequential" and chain.complete
    assert _names(chain) == [("a", False), ("i1", False), ("i2", False), ("b", False)]
    assert chain.input_shape == (3,)


def test_functional_chain_marks_branches_and_ops():
    inputs = keras.Input((8,))
    a = layers.Dense(4, name="a")(inputs)
    b = layers.Dense(4, name="b")(a)
    c = layers.Add(name="add")([a, b])
    d = ops.relu(c)
    out = layers.Dense(3, name="head")(d)
    chain = layer_chain(keras.Model(inputs, out))
    assert chain.kind == "functional" and chain.complete and not chain.output_after_op
    assert _names(chain) == [("a", False), ("b", False), ("add", True), ("head", True)]


def test_functional_output_after_an_op():
    inputs = keras.Input((8,))
    out = layers.Dense(3, name="head")(inputs) * 2.0
    chain = layer_chain(keras.Model(inputs, out))
    assert chain.output_after_op
    assert _names(chain) == [("head", False)]


def test_shared_layer_reads_the_node_of_this_graph():
    shared = layers.Dense(4, name="shared")
    first_in = keras.Input((4,))
    keras.Model(first_in, shared(layers.Dense(4, name="other")(first_in)))  # shared's node 0
    inputs = keras.Input((4,))
    model = keras.Model(inputs, layers.Dense(2, name="head")(shared(inputs)))
    assert _names(layer_chain(model)) == [("shared", False), ("head", False)]


def test_branched_nested_model_stays_one_opaque_step():
    inner_in = keras.Input((4,))
    inner = keras.Model(inner_in, layers.Concatenate()([layers.Dense(2)(inner_in), layers.Dense(2)(inner_in)]))
    model = keras.Sequential([keras.Input((4,)), inner, layers.Dense(1, name="head")])
    steps = layer_chain(model).steps
    assert [s.nested for s in steps] == [True, False]


def test_two_inputs_and_two_outputs_are_counted():
    a, b = keras.Input((2,)), keras.Input((3,))
    merged = layers.Concatenate()([a, b])
    model = keras.Model([a, b], [layers.Dense(1)(merged), layers.Dense(2)(merged)])
    chain = layer_chain(model)
    assert (chain.inputs, chain.outputs, chain.input_shape) == (2, 2, None)


def test_subclassed_model_is_incomplete_but_lists_its_layers():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.first = layers.Dense(4)
            self.drop = layers.Dropout(0.5)

        def call(self, x):
            return self.drop(self.first(x))

    chain = layer_chain(Net())
    assert chain.kind == "subclassed" and not chain.complete
    assert [type(s.layer).__name__ for s in chain.steps] == ["Dense", "Dropout"]


def test_input_site_is_the_first_layer_when_input_shape_is_written_there():
    model = keras.Sequential([layers.Dense(4, input_shape=(5,))])
    setattr(model.layers[0], SITE_ATTR, Site("train.py", 7))
    chain = layer_chain(model)
    assert chain.input_shape == (5,) and chain.input_site is None  # facts point at the first layer


def test_input_site_of_keras_input():
    inputs = keras.Input((6,))
    site = Site("train.py", 2)
    setattr(inputs._keras_history.operation, SITE_ATTR, site)
    chain = layer_chain(keras.Model(inputs, layers.Dense(1)(inputs)))
    assert chain.input_shape == (6,) and chain.input_site == site


def test_sequential_subclass_overriding_call_is_subclassed():
    class Doubled(keras.Sequential):
        def call(self, x, training=None):
            return super().call(x * 2.0)

    class Named(keras.Sequential):
        def describe(self) -> str:
            return "a plain Sequential with a helper method"

    assert layer_chain(Doubled([layers.Dense(2)])).kind == "subclassed"
    assert layer_chain(Named([keras.Input((3,)), layers.Dense(2)])).kind == "sequential"
