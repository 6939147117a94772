"""Numeric call sites and ``ExprView`` (what the KC5xx rules read): contexts, parameters, bindings."""

from __future__ import annotations

import textwrap

import libcst as cst

from kerascheck.facts.extract import extract_facts
from kerascheck.facts.model import NumericSite


def sites(source: str) -> list[NumericSite]:
    return list(extract_facts(cst.parse_module(textwrap.dedent(source))).numeric_sites)


def site(source: str, op: str, index: int = 0) -> NumericSite:
    return [s for s in sites(source) if s.op == op][index]


def test_function_wrapped_in_lambda_layer_is_a_layer() -> None:
    src = """\
        from tensorflow.keras import backend as K
        from tensorflow.keras.layers import Lambda, Input

        def euclidean_distance(vects):
            x, y = vects
            return K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True))

        def helper(v):
            return K.sqrt(v)

        a = Input((8,))
        d = Lambda(euclidean_distance)([a, a])
        e = Lambda(function=helper)(a)
        """
    assert [(s.function, s.context) for s in sites(src)] == [
        ("euclidean_distance", "layer"), ("helper", "layer")]


def test_in_place_division_records_its_target_as_numerator() -> None:
    src = """\
        from keras import backend as K

        def loss(y_true, y_pred):
            y_pred /= K.sum(y_pred, axis=-1, keepdims=True)
            return y_pred
        """
    s = site(src, "divide")
    assert s.numerator is not None and s.numerator.text() == "y_pred"
    assert s.operand.text() == "K.sum(y_pred, axis=-1, keepdims=True)"
    # the numerator is the parameter as passed (the statement itself rebinds it only afterwards)
    assert s.numerator.param() is not None and s.numerator.param().name == "y_pred"


def test_parameters_exclude_self_and_know_defaults() -> None:
    src = """\
        import tensorflow as tf

        class Focal(tf.keras.losses.Loss):
            def call(self, y_true, y_pred, gamma=2.0, *rest):
                return tf.math.log(y_pred)
        """
    view = site(src, "log").operand
    params = view.params()
    assert list(params) == ["y_true", "y_pred", "gamma", "rest"]
    assert params["y_pred"].index == 1 and not params["y_pred"].has_default
    assert view.param_default(params["gamma"]).number() == 2.0
    assert params["rest"].star
    assert view.param().name == "y_pred"


def test_rebound_names_follow_the_binding_in_force() -> None:
    src = """\
        from keras import backend as K

        def bce(y_true, y_pred):
            y_pred = K.clip(y_pred, K.epsilon(), 1 - K.epsilon())
            return K.log(y_pred)
        """
    view = site(src, "log").operand
    assert view.param() is None  # rebound before this point
    assert view.param(strict=False).name == "y_pred"
    clip = view.follow()
    assert clip is not None and clip.callee() == "keras.backend.clip"
    inner = clip.args()[0]
    # inside its own assignment, y_pred is the previous value: the parameter
    assert inner.follow() is None and inner.param() is not None


def test_augmented_assignment_is_followed_as_a_binary_operation() -> None:
    src = """\
        import tensorflow as tf

        def loss(y_true, y_pred):
            y_pred += 1e-7
            return tf.math.log(y_pred)
        """
    followed = site(src, "log").operand.follow()
    assert followed is not None and followed.operator() == "+"
    left, right = followed.operands()
    assert right.number() == 1e-7 and left.param() is not None


def test_tuple_unpacking_from_a_parameter() -> None:
    src = """\
        import tensorflow as tf

        def distance(vects):
            x, y = vects
            a, b = x * 2, y
            return tf.sqrt(tf.reduce_sum(tf.square(a - b)))
        """
    view = site(src, "sqrt").operand
    square = view.args()[0]
    diff = square.args()[0]
    a, b = diff.operands()
    assert a.follow().text() == "x * 2"  # element of a literal tuple
    x = a.follow().operands()[0]
    assert x.follow() is None and x.unpacked_from().text() == "vects"
    assert x.unpacked_from().param() is not None


def test_parents_and_ancestors_of_the_log_argument() -> None:
    src = """\
        import tensorflow as tf

        def ce(y_true, y_pred):
            return -tf.reduce_sum(y_true * tf.math.log(y_pred), axis=-1)
        """
    view = site(src, "log").operand
    chain = [a.text() for a in view.ancestors()]
    assert chain == ["tf.math.log(y_pred)", "y_true * tf.math.log(y_pred)",
                     "tf.reduce_sum(y_true * tf.math.log(y_pred), axis=-1)",
                     "-tf.reduce_sum(y_true * tf.math.log(y_pred), axis=-1)"]


def test_module_constants_are_followed_through_the_snapshot() -> None:
    src = """\
        import tensorflow as tf

        EPS = 1e-7

        def loss(y_true, y_pred):
            return tf.math.log(y_pred + EPS)
        """
    view = site(src, "log").operand
    left, right = view.operands()
    assert right.number() == 1e-7 and left.param() is not None


def test_tf1_log_and_bitwise_mask_operators() -> None:
    src = """\
        import tensorflow as tf

        def acc(label, pred):
            match = (label == pred) & (label != 0)
            return tf.log(tf.reduce_sum(tf.cast(match, tf.float32)))
        """
    s = site(src, "log")
    assert s.callee == "tf.math.log" and s.context == "metric"
    match = s.operand.args()[0].args()[0].follow()
    assert match.operator() == "&" and match.operands()[0].kind == "compare"


def test_custom_activation_functions_are_layers() -> None:
    src = """\
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Dense, Activation

        def my_sigmoid(x):
            return 1 / (1 + K.exp(-x))

        def scaled_tanh(x):
            return K.tanh(x) / 2.0

        model = Sequential()
        model.add(Dense(32, input_dim=8, activation=my_sigmoid))
        model.add(Dense(1))
        model.add(Activation(scaled_tanh))
        """
    assert {(s.function, s.context) for s in sites(src) if s.op == "divide"} == {
        ("my_sigmoid", "layer"), ("scaled_tanh", "layer")}
