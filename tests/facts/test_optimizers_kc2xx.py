"""What the extractor records about optimizers and Keras 1 calls, as the optimizer (KC201-KC205) and
migration (KC901-KC902) rules read it: legacy optimizers, keyword locations, schedules, the optimizer's
own learning-rate argument, and ``keras.Model(...)`` calls in ``FileFacts.calls``."""

from __future__ import annotations

import textwrap

import libcst as cst

from kerascheck.facts.extract import extract_facts
from kerascheck.facts.model import CallFact, FileFacts, OptimizerFacts
from kerascheck.facts.names import canonical
from kerascheck.positions import PositionResolver


def facts_of(source: str) -> FileFacts:
    return facts_and_lines(source)[0]


def facts_and_lines(source: str):
    """The facts of ``source`` and a function giving the 1-based line of one of their locations."""
    text = textwrap.dedent(source)
    module = cst.parse_module(text)
    resolver = PositionResolver(module, text)
    return extract_facts(module), lambda loc: resolver.span(loc)[0]


def test_canonical_keeps_legacy_optimizers_apart() -> None:
    assert canonical("tensorflow.keras.optimizers.legacy.Adam") == "keras.optimizers.legacy.Adam"
    assert canonical("keras.optimizers.legacy.SGD") == "keras.optimizers.legacy.SGD"
    assert canonical("tensorflow.keras.optimizers.Adam") == "keras.optimizers.Adam"
    assert canonical("keras.optimizers.experimental.AdamW") == "keras.optimizers.AdamW"
    assert canonical("tensorflow.keras.optimizers.legacy") == "keras.optimizers.legacy"
    assert canonical("keras.optimizers.schedules.ExponentialDecay") == "keras.schedules.ExponentialDecay"


def test_legacy_flag_and_name() -> None:
    facts = facts_of("""
        import tensorflow as tf
        from tensorflow.keras.optimizers import legacy
        from keras.optimizers.legacy import RMSprop

        a = tf.keras.optimizers.legacy.SGD(lr=0.01, decay=1e-6)
        b = legacy.Adam(learning_rate=0.001)
        c = RMSprop(lr=0.001)
        d = tf.keras.optimizers.Adam(0.001)
        e = tf.compat.v1.train.RMSPropOptimizer(0.001)
        """)
    by_kind = [(o.kind, o.legacy, o.name) for o in facts.optimizers]
    assert by_kind == [
        ("SGD", True, "keras.optimizers.legacy.SGD"),
        ("Adam", True, "keras.optimizers.legacy.Adam"),
        ("RMSprop", True, "keras.optimizers.legacy.RMSprop"),
        ("Adam", False, "keras.optimizers.Adam"),
        ("RMSprop", True, "tf.compat.v1.train.RMSPropOptimizer"),
    ]


def test_keyword_locations_and_values() -> None:
    src = """
        from keras.optimizers import SGD

        sgd = SGD(lr=0.01,
                  decay=1e-6, momentum=0.9)
        """
    facts, line_of = facts_and_lines(src)
    (opt,) = facts.optimizers
    assert set(opt.kwarg_locs) == {"lr", "decay", "momentum"}
    assert line_of(opt.kwarg_locs["lr"]) == 4
    assert line_of(opt.kwarg_locs["decay"]) == 5
    assert opt.lr_keyword == "lr" and opt.learning_rate == 0.01


def test_schedule_rate_is_located_on_the_optimizer_argument() -> None:
    src = """
        import keras

        schedule = keras.optimizers.schedules.ExponentialDecay(
            initial_learning_rate=0.1, decay_steps=1000, decay_rate=0.96)
        steps = keras.optimizers.schedules.PiecewiseConstantDecay([1000], [0.5, 0.05])
        warm = keras.optimizers.schedules.CosineDecay(0.0, 1000, warmup_target=1e-3, warmup_steps=10)
        a = keras.optimizers.Adam(learning_rate=schedule)
        b = keras.optimizers.SGD(steps)
        c = keras.optimizers.AdamW(warm)
        """
    facts, line_of = facts_and_lines(src)
    a, b, c = facts.optimizers
    assert (a.schedule, a.learning_rate, line_of(a.lr_loc)) == ("ExponentialDecay", 0.1, 8)
    assert (b.schedule, b.learning_rate, line_of(b.lr_loc)) == ("PiecewiseConstantDecay", 0.5, 9)
    assert isinstance(c.schedule_call, CallFact)
    assert c.learning_rate == 0.0 and c.schedule_call.arg("warmup_target") == 1e-3
    assert a.schedule_call is not None and a.schedule_call.arg("decay_rate") == 0.96


def test_plain_optimizer_has_no_schedule_call() -> None:
    (opt,) = facts_of("import keras\nopt = keras.optimizers.Adam(3e-4)\n").optimizers
    assert isinstance(opt, OptimizerFacts) and opt.schedule is None and opt.schedule_call is None


def test_keras_model_call_is_a_call_fact_with_keyword_locations() -> None:
    src = """
        from keras.models import Model
        from keras.layers import Input, Dense

        inputs = Input(shape=(4,))
        outputs = Dense(1)(inputs)
        model = Model(input=inputs, output=outputs)
        model.compile(optimizer="adam", loss="mse")
        """
    facts, line_of = facts_and_lines(src)
    (call,) = [c for c in facts.calls if c.name == "keras.Model"]
    assert set(call.kwarg_locs) == {"input", "output"} and line_of(call.kwarg_locs["input"]) == 7
    (model,) = facts.models
    assert model.kind == "functional" and [layer.kind for layer in model.raw_layers] == ["Dense"]


def test_fit_arguments_keep_their_names_even_when_their_origin_is_unknown() -> None:
    facts = facts_of("""
        from tensorflow import keras

        ae = keras.models.Sequential([keras.layers.Dense(30, input_shape=[784]), keras.layers.Dense(784)])
        ae.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1.5))
        ae.fit(X_train, X_train, epochs=20)
        """)
    (model,) = facts.models
    (fit,) = model.fits
    assert fit.x is not None and fit.y is not None
    assert fit.x.origin == "unknown" and fit.x.source_name == "X_train" and fit.y.source_name == "X_train"
