"""What the extractor knows about layer stacks (interpreter + build), as the architecture rules
(KC401-KC411) read it: the declared input, operations between functional layers, keyword locations,
activation folding, and the model-building idioms (loops, factories, comprehensions, subclasses)."""

from __future__ import annotations

import textwrap

import libcst as cst

from kerascheck.facts.extract import extract_facts
from kerascheck.facts.model import UNKNOWN, CallFact, FileFacts, ModelFacts
from kerascheck.positions import PositionResolver


def facts_of(source: str) -> FileFacts:
    return extract_facts(cst.parse_module(textwrap.dedent(source)))


def only_model(source: str) -> ModelFacts:
    (model,) = facts_of(source).models
    return model


def kinds(model: ModelFacts, folded: bool = False) -> list[str]:
    return [layer.kind for layer in (model.layers if folded else model.raw_layers)]


# -- the declared input ------------------------------------------------------------------------------


def test_keras_input_first_in_sequential_list_is_the_input_layer_not_a_layer() -> None:
    model = only_model("""
        import keras
        from keras import layers
        model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3), layers.Flatten(),
                                  layers.Dense(10, activation="softmax")])
        """)
    assert model.complete
    assert kinds(model) == ["Conv2D", "Flatten", "Dense"]
    assert model.input_layer is not None and model.input_layer.kind == "InputLayer"
    assert model.input_layer.kwargs == {"shape": (28, 28, 1)}
    assert model.head is not None and model.head.units == 10


def test_model_add_input_and_keras2_input_layer() -> None:
    facts = facts_of("""
        from tensorflow import keras
        from tensorflow.keras.layers import Dense, InputLayer
        a = keras.Sequential()
        a.add(keras.Input((20,)))
        a.add(Dense(1))
        b = keras.Sequential([InputLayer(input_shape=(20,)), Dense(1)])
        """)
    a, b = facts.models
    assert a.complete and kinds(a) == ["Dense"] and a.input_layer.args == ((20,),)
    assert b.complete and kinds(b) == ["Dense"] and b.input_layer.kwargs == {"input_shape": (20,)}


def test_functional_chain_starts_after_its_input() -> None:
    model = only_model("""
        import keras
        from keras import layers
        inputs = keras.Input(shape=(1, 28, 28), name="img")
        x = layers.Conv2D(8, 3)(inputs)
        x = layers.Flatten()(x)
        outputs = layers.Dense(10)(x)
        model = keras.Model(inputs, outputs)
        """)
    assert model.complete and kinds(model) == ["Conv2D", "Flatten", "Dense"]
    assert model.input_layer.kwargs["shape"] == (1, 28, 28)
    assert not model.raw_layers[0].follows_op


def test_keras_input_call_is_recorded_among_calls() -> None:
    facts = facts_of("import keras\ninputs = keras.Input(shape=(4,))\n")
    assert [call.name for call in facts.calls] == ["keras.Input"]


# -- operations between functional layers --------------------------------------------------------------


def test_operator_between_layers_marks_the_next_layer() -> None:
    model = only_model("""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        inputs = keras.Input(shape=(16,))
        h = layers.Dense(32, activation="tanh")(inputs)
        w = layers.Dense(32, activation="softmax")(h)
        context = w * h
        context = tf.reduce_sum(context, axis=1, keepdims=True)
        outputs = layers.Dense(1, activation="sigmoid")(context)
        model = keras.Model(inputs, outputs)
        """)
    assert model.complete and kinds(model) == ["Dense", "Dense", "Dense"]
    assert [layer.follows_op for layer in model.raw_layers] == [False, False, True]


def test_scaling_the_input_and_slicing_mark_the_following_layer() -> None:
    model = only_model("""
        import keras
        from keras import layers
        inputs = keras.Input(shape=(10, 8))
        x = inputs / 255.0
        x = layers.LSTM(16, return_sequences=True)(x)
        x = x[:, -1, :]
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        """)
    assert [(layer.kind, layer.follows_op) for layer in model.raw_layers] == [
        ("LSTM", True), ("Dense", True)]


def test_trailing_operation_adds_no_layer() -> None:
    model = only_model("""
        import keras
        from keras import layers
        inputs = keras.Input(shape=(4,))
        outputs = layers.Dense(1)(inputs) * 2.0
        model = keras.Model(inputs, outputs)
        """)
    assert kinds(model) == ["Dense"] and not model.raw_layers[0].follows_op


def test_activation_after_an_operation_is_not_folded_onto_the_layer_before() -> None:
    model = only_model("""
        import keras
        from keras import layers
        inputs = keras.Input(shape=(32,))
        x = layers.Dense(32)(inputs)
        y = layers.Dense(32)(x)
        x = x + y
        x = layers.Activation("relu")(x)
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        """)
    assert kinds(model, folded=True) == ["Dense", "Activation", "Dense"]
    assert model.layers[0].activation == "linear"


def test_merge_layer_stays_in_the_chain() -> None:
    model = only_model("""
        import keras
        from keras import layers
        inputs = keras.Input(shape=(32,))
        x = layers.Dense(32, activation="relu")(inputs)
        y = layers.Dense(32, activation="relu")(x)
        x = layers.add([x, y])
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        """)
    assert kinds(model) == ["Dense", "add", "Dense"]
    assert not any(layer.follows_op for layer in model.raw_layers)


# -- keyword locations ---------------------------------------------------------------------------------


def test_layer_keyword_locations_point_at_the_argument() -> None:
    source = textwrap.dedent("""
        import keras
        from keras import initializers, layers
        model = keras.Sequential([
            layers.Dense(
                64,
                kernel_initializer=initializers.RandomNormal(stddev=1.0),
            ),
            layers.Bidirectional(layers.LSTM(8, return_sequences=True)),
        ])
        """)
    module = cst.parse_module(source)
    (model,) = extract_facts(module).models
    resolver = PositionResolver(module, source)
    dense, bidi = model.raw_layers
    assert resolver.span(dense.arg_loc("kernel_initializer"))[:2] == (7, 9)
    assert resolver.span(dense.arg_loc("missing")) == resolver.span(dense.loc)
    inner = bidi.args[0]
    assert isinstance(inner, CallFact)
    assert resolver.span(inner.kwarg_locs["return_sequences"])[:2] == (9, 41)


# -- model-building idioms -----------------------------------------------------------------------------


def test_constant_loop_in_a_factory_is_unrolled() -> None:
    model = only_model("""
        from keras.models import Sequential
        from keras.layers import Dense, Activation, Dropout

        def build_model(depth=4):
            model = Sequential()
            model.add(Dense(64, input_dim=20, init='uniform'))
            model.add(Activation('sigmoid'))
            for _ in range(depth):
                model.add(Dense(64))
                model.add(Activation('sigmoid'))
                model.add(Dropout(0.2))
            model.add(Dense(1, activation='sigmoid'))
            return model

        model = build_model()
        """)
    assert model.complete
    assert kinds(model, folded=True) == ["Dense"] + ["Dense", "Dropout"] * 4 + ["Dense"]
    assert [layer.activation for layer in model.layers if layer.kind == "Dense"] == ["sigmoid"] * 6


def test_unknown_loop_bound_repeats_its_layers_and_an_unknown_comprehension_is_incomplete() -> None:
    """``for _ in range(n_layers)`` adds a layer some unknown number of times: the model stays
    complete (its head is known) with that layer marked ``repeated``. A comprehension of unknown
    length, or a layer added under an unknown ``if``, leaves the model incomplete."""
    facts = facts_of("""
        import keras
        from keras import layers

        def build(n_layers):
            model = keras.Sequential()
            for _ in range(n_layers):
                model.add(layers.Dense(64, activation="tanh"))
            model.add(layers.Dense(1))
            return model

        a = build(n)
        b = keras.Sequential([layers.Dense(64) for _ in range(n)] + [layers.Dense(1)])
        c = keras.Sequential()
        if wide:
            c.add(layers.Dense(128))
        c.add(layers.Dense(1))
        """)
    a, b, c = facts.models
    assert [model.complete for model in facts.models] == [True, False, False]
    assert [(layer.units, layer.repeated) for layer in a.layers] == [(64, True), (1, False)]
    assert a.head is not None and a.head.units == 1


def test_layer_lists_built_by_code_with_a_known_trip_count_are_unrolled() -> None:
    """A comprehension, a ``*[...]`` splice, ``.append`` in a loop and ``[units] * n`` give the
    same layers as writing them out."""
    facts = facts_of("""
        import keras
        from keras import layers

        a = keras.Sequential([layers.Dense(64) for _ in range(3)] + [layers.Dense(1)])
        b = keras.Sequential([keras.Input(shape=(8,)),
                              *[layers.Dense(u, activation="sigmoid") for u in (32, 16)],
                              layers.Dense(1)])
        hidden = []
        for i in range(4):
            hidden.append(layers.Dense(8, activation="tanh"))
        c = keras.Sequential(hidden + [layers.Dense(1)])
        d = keras.Sequential()
        for units in [64] * 5:
            d.add(layers.Dense(units, activation="sigmoid"))
        """)
    a, b, c, d = facts.models
    assert all(model.complete for model in facts.models)
    assert [layer.units for layer in a.layers] == [64, 64, 64, 1]
    assert [(layer.units, layer.activation) for layer in b.layers] == [
        (32, "sigmoid"), (16, "sigmoid"), (1, "linear")]
    assert [layer.activation for layer in c.layers] == ["tanh"] * 4 + ["linear"]
    assert [layer.units for layer in d.layers] == [64] * 5


def test_subclassed_model_layers_in_call_order() -> None:
    model = only_model("""
        import keras
        from keras import layers

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.out = layers.Dense(1)
                self.hidden = layers.Dense(32, activation="tanh")
                self.drop = layers.Dropout(0.2)

            def call(self, inputs):
                x = self.hidden(inputs)
                x = self.drop(x)
                return self.out(x)

        model = Net()
        """)
    assert model.kind == "subclassed" and model.complete
    assert kinds(model) == ["Dense", "Dropout", "Dense"]
    assert model.raw_layers[0].activation == "tanh"


def test_keras2_layer_keywords_are_kept() -> None:
    model = only_model("""
        from keras.models import Sequential
        from keras.layers import Dense, Dropout, Convolution2D
        model = Sequential()
        model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(1, 28, 28), dim_ordering='th'))
        model.add(Dropout(p=0.5))
        model.add(Dense(10, init='zero'))
        """)
    conv, drop, dense = model.raw_layers
    assert conv.kind == "Conv2D" and conv.kwargs["input_shape"] == (1, 28, 28)
    assert conv.kwargs["dim_ordering"] == "th" and "dim_ordering" in conv.keras2_kwargs
    assert drop.kwargs == {"p": 0.5} and dense.kwargs == {"init": "zero"}


def test_shape_with_unknown_items_keeps_its_rank() -> None:
    model = only_model("""
        import keras
        from keras import layers
        model = keras.Sequential([layers.LSTM(32, input_shape=(X.shape[1], X.shape[2])), layers.Dense(1)])
        """)
    assert model.raw_layers[0].kwargs["input_shape"] == (UNKNOWN, UNKNOWN)
