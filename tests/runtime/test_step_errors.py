"""First-step errors: real Keras 3 exceptions, translated (step_errors) and reported (KC605).

Every message is produced here by really running the failing step on a tiny model, so the patterns
in ``step_errors`` track what Keras actually raises; the rule cases then use those captured messages.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest

from kerascheck.rules.base import RuleContext
from kerascheck.rules.kc605_first_step_error import FirstStepError
from kerascheck.runtime.measurements import ArrayStats, LayerStats, RunMeasurements, Site, StepError
from kerascheck.runtime.step_errors import essence, translate
from kerascheck.runtime.thresholds import Thresholds

FIT, COMPILE, HEAD, MODEL = (Site("train.py", 40), Site("train.py", 35), Site("train.py", 30),
                             Site("train.py", 27))
FIRST = Site("train.py", 28)
CTX = RuleContext(thresholds=Thresholds())


def _run(loss: str | None, units: int, error: StepError | None, **kw: Any) -> RunMeasurements:
    layers = [LayerStats(0, "dense", "Dense", site=FIRST), LayerStats(1, "head", "Dense", site=HEAD)]
    return RunMeasurements(fit_site=FIT, compile_site=COMPILE, model_site=MODEL, loss=loss, head_units=units,
                           layers=layers, step_error=error, **kw)


@pytest.fixture(scope="module")
def raised() -> dict[str, StepError]:
    """Each failing first step, run for real; the exception as ``measure`` records it."""
    pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    import numpy as np

    def model(inputs: int = 4, units: int = 2, activation: str | None = "softmax",
              loss: str = "categorical_crossentropy", optimizer: str = "adam") -> Any:
        built = keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(3, name="dense"),
                                  keras.layers.Dense(units, activation=activation, name="head")])
        built.compile(optimizer=optimizer, loss=loss)
        return built

    x = np.zeros((8, 4), "float32")
    cases: dict[str, Callable[[], Any]] = {
        "ids_categorical": lambda: model().train_on_batch(x, np.zeros(8, "int64")),
        "onehot_sparse": lambda: model(units=3, loss="sparse_categorical_crossentropy").train_on_batch(
            x, np.eye(3)[np.zeros(8, int)]),
        "label_range": lambda: model(units=10, loss="sparse_categorical_crossentropy").train_on_batch(
            x, np.full(8, 10)),
        "label_negative": lambda: model(units=10, loss="sparse_categorical_crossentropy").train_on_batch(
            x, np.full(8, -1)),
        "input_shape": lambda: model().train_on_batch(np.zeros((8, 5)), np.eye(2)[np.zeros(8, int)]),
        "unknown_loss": lambda: model(loss="categorical_crossentopy").train_on_batch(x, np.zeros((8, 2))),
        "unknown_optimizer": lambda: model(optimizer="adamm"),
        "list_x": lambda: model().fit([[0.0] * 4] * 8, np.zeros((8, 2)), verbose=0),
        "list_y": lambda: model().fit(x, [[0.0, 1.0]] * 8, verbose=0),
        "list_sample_weight": lambda: model().fit(x, np.zeros((8, 2)), sample_weight=[1.0] * 8, verbose=0),
        "generator_list": lambda: model().fit((batch for batch in [[x, np.zeros((8, 2))]] * 2), steps_per_epoch=1,
                                              verbose=0),
        "width": lambda: model(units=3).train_on_batch(x, np.zeros((8, 5))),
        "binary_width": lambda: model(units=1, activation="sigmoid", loss="binary_crossentropy").train_on_batch(
            x, np.zeros((8, 3))),
        "string_labels": lambda: model(units=3, loss="sparse_categorical_crossentropy").train_on_batch(
            x, np.array(["a"] * 8)),
        "mse_width": lambda: model(units=3, activation=None, loss="mse").train_on_batch(x, np.zeros((8, 5))),
    }
    import tensorflow as tf

    single = tf.data.Dataset.from_tensor_slices((np.ones((8, 4), "float32"), np.zeros((8, 2), "float32")))
    cases["unbatched_dataset"] = lambda: model().fit(single, verbose=0, shuffle=False)
    cases["input_rank"] = lambda: model().train_on_batch(np.zeros((8, 4, 2)), np.zeros((8, 2)))
    found: dict[str, StepError] = {}
    for name, step in cases.items():
        with pytest.raises(Exception) as info:
            step()
        found[name] = StepError(type=type(info.value).__name__, message=str(info.value), stage="probe")
    a = keras.Input((4,), name="features")
    functional = keras.Model(a, keras.layers.Dense(2, activation="softmax")(a), name="classifier")
    functional.compile(optimizer="adam", loss="categorical_crossentropy")
    with pytest.raises(Exception) as info:
        functional.train_on_batch(np.zeros((8, 6)), np.zeros((8, 2)))
    found["functional_input"] = StepError(type(info.value).__name__, str(info.value), "probe")
    return found


def _say(raised: dict[str, StepError], case: str, loss: str | None, units: int) -> Any:
    return translate(raised[case], _run(loss, units, raised[case]))


def test_integer_ids_under_categorical_crossentropy(raised: dict[str, StepError]) -> None:
    said = _say(raised, "ids_categorical", "categorical_crossentropy", 2)
    assert said.about == "compile"
    assert "(8,)" in said.message and "(8, 2)" in said.message
    assert "sparse_categorical_crossentropy" in said.message and "to_categorical(y, 2)" in said.message


def test_one_hot_under_sparse_crossentropy(raised: dict[str, StepError]) -> None:
    said = _say(raised, "onehot_sparse", "sparse_categorical_crossentropy", 3)
    assert said.about == "compile" and "one-hot" in said.message
    assert "loss='categorical_crossentropy'" in said.message and "argmax" in said.message


def test_sparse_label_out_of_range(raised: dict[str, StepError]) -> None:
    assert "Graph execution error" in raised["label_range"].message  # what users see first
    said = _say(raised, "label_range", "sparse_categorical_crossentropy", 10)
    assert said.about == "head" and "label value 10 is outside [0, 10)" in said.message
    assert "Dense(11)" in said.message and "Label values" not in said.message
    negative = _say(raised, "label_negative", "sparse_categorical_crossentropy", 10)
    assert "-1" in negative.message and "re-index" in negative.message


def test_input_shape_mismatch_names_data_and_layer(raised: dict[str, StepError]) -> None:
    said = _say(raised, "input_shape", "categorical_crossentropy", 2)
    assert said.about == "layer" and said.layer == "dense"
    assert "(8, 5)" in said.message and "value 4" in said.message and "keras.Input(shape=" in said.message
    assert "\x1b" not in said.message
    functional = _say(raised, "functional_input", "categorical_crossentropy", 2)
    assert functional.about == "model" and "(8, 6)" in functional.message and "(None, 4)" in functional.message


def test_unknown_names_get_a_suggestion(raised: dict[str, StepError]) -> None:
    said = _say(raised, "unknown_loss", None, 2)
    assert said.about == "compile" and "'categorical_crossentopy'" in said.message
    assert "did you mean 'categorical_crossentropy'" in said.message
    assert "did you mean 'adam'" in _say(raised, "unknown_optimizer", None, 2).message


def test_python_list_as_x(raised: dict[str, StepError]) -> None:
    said = _say(raised, "list_x", "categorical_crossentropy", 2)
    assert said.about == "fit" and "plain Python list" in said.message and "np.asarray(x" in said.message


def test_python_list_as_y_is_not_blamed_on_x(raised: dict[str, StepError]) -> None:
    assert "numpy.ndarray" in raised["list_y"].message  # Keras names x, with x's type
    said = _say(raised, "list_y", "categorical_crossentropy", 2)
    assert said.about == "fit" and "targets" in said.message and "np.asarray(y)" in said.message


def test_the_list_errors_prepare_data_records_translate_the_same(raised: dict[str, StepError]) -> None:
    np = pytest.importorskip("numpy")
    from kerascheck.runtime.capture import Capture
    from kerascheck.runtime.data import prepare_data

    run = _run("categorical_crossentropy", 2, None)
    recorded = prepare_data(Capture(model=None, x=[[0.0] * 4] * 8, y=np.zeros((8, 2))), Thresholds()).step_error
    assert recorded is not None and translate(recorded, run) == translate(raised["list_x"], run)
    generator = (batch for batch in [[np.zeros((8, 4)), np.zeros((8, 2))]] * 2)
    recorded = prepare_data(Capture(model=None, x=generator), Thresholds()).step_error
    assert recorded is not None and translate(recorded, run) == translate(raised["generator_list"], run)


def test_prepare_data_names_the_list_that_keras_blames_on_x(raised: dict[str, StepError]) -> None:
    np = pytest.importorskip("numpy")
    from kerascheck.runtime.capture import Capture
    from kerascheck.runtime.data import prepare_data

    run = _run("categorical_crossentropy", 2, None)
    x = np.zeros((8, 4))
    for argument, capture, case in (
            ("y", Capture(model=None, x=x, y=[[0.0, 1.0]] * 8), "list_y"),
            ("sample_weight", Capture(model=None, x=x, y=np.zeros((8, 2)), sample_weight=[1.0] * 8),
             "list_sample_weight")):
        recorded = prepare_data(capture, Thresholds()).step_error
        assert recorded is not None and recorded.argument == argument
        assert recorded.message.split(" (of type")[1] == raised[case].message.split(" (of type")[1]
        said = translate(recorded, run).message
        assert said.startswith(f"{argument} is a plain Python list") and f"np.asarray({argument}," in said


def test_a_generator_yielding_lists(raised: dict[str, StepError]) -> None:
    said = _say(raised, "generator_list", "categorical_crossentropy", 2)
    assert said.about == "fit" and "yields a list" in said.message and "yield x_batch, y_batch" in said.message


def test_target_width_differs_from_head(raised: dict[str, StepError]) -> None:
    said = _say(raised, "width", "categorical_crossentropy", 3)
    assert said.about == "head" and "5 columns" in said.message and "3 units" in said.message
    binary = _say(raised, "binary_width", "binary_crossentropy", 1)
    assert "Dense(3, activation='softmax')" in binary.message
    mse = _say(raised, "mse_width", "mean_squared_error", 3)
    assert mse.about == "head" and "(8, 5)" in mse.message and "(8, 3)" in mse.message


def test_string_labels(raised: dict[str, StepError]) -> None:
    said = _say(raised, "string_labels", "sparse_categorical_crossentropy", 3)
    assert said.category == "labels" and "StringLookup" in said.message
    in_fit = StepError("ValueError", "Invalid dtype: str32", "fit")  # fit's data adapter says it this way
    from_fit = translate(in_fit, _run(None, 3, in_fit))
    assert from_fit.category == "labels" and "(dtype str32)" in from_fit.message


def test_string_inputs_for_a_model_that_reads_strings() -> None:
    """Audit: an adapted TextVectorization first layer, fed a NumPy array of str: fit refuses the array,
    not the strings; the advice is tf.constant or a Dataset, not "add a TextVectorization layer"."""
    error = StepError("ValueError", "Invalid dtype: str2912", "probe")
    run = _run("binary_crossentropy", 1, error)
    run.layers.insert(0, LayerStats(0, "text_vectorization", "TextVectorization", site=FIRST))
    said = translate(error, run)
    assert said.category == "input" and "tf.constant(x)" in said.message and "TextVectorization takes" in said.message


def test_unknown_errors_keep_their_informative_line() -> None:
    error = StepError("InvalidArgumentError", "Graph execution error:\n\nDetected at node foo\n  File \"a.py\"\n"
                      "Input to reshape is a tensor with 96 values, but the requested shape has 64\n", "forward")
    said = translate(error, _run("mse", 1, error))
    assert said.category == "unknown" and said.about == "model"
    assert "InvalidArgumentError (forward stage): Input to reshape is a tensor with 96 values" in said.message
    assert essence("\x1b[1mplain\x1b[0m") == "plain"


# -- KC605 ------------------------------------------------------------------------------------------


def test_kc605_points_where_the_cause_is(raised: dict[str, StepError]) -> None:
    rule = FirstStepError()
    [head] = rule.check_run(_run("sparse_categorical_crossentropy", 10, raised["label_range"]), CTX)
    assert head.loc.line == HEAD.line and head.layer == "head"
    [compile_] = rule.check_run(_run("categorical_crossentropy", 2, raised["ids_categorical"]), CTX)
    assert compile_.loc.line == COMPILE.line and compile_.layer is None
    [layer] = rule.check_run(_run("categorical_crossentropy", 2, raised["input_shape"]), CTX)
    assert layer.loc.line == FIRST.line and layer.layer == "dense"
    [fit] = rule.check_run(_run("categorical_crossentropy", 2, raised["list_x"]), CTX)
    assert fit.loc.line == FIT.line


def test_kc605_defers_to_kc603_when_the_labels_explain_it(raised: dict[str, StepError]) -> None:
    labels = ArrayStats(role="y", name="y", shape=[64], min=0.0, max=10.0, integer_valued=True)
    run = _run("sparse_categorical_crossentropy", 10, raised["label_range"], data=[labels])
    assert list(FirstStepError().check_run(run, CTX)) == []


def test_kc605_silent_without_an_error() -> None:
    assert list(FirstStepError().check_run(_run("categorical_crossentropy", 2, None), CTX)) == []


def test_unbatched_dataset(raised: dict[str, StepError]) -> None:
    said = _say(raised, "unbatched_dataset", "categorical_crossentropy", 2)
    assert said.about == "fit" and "(4,)" in said.message and "(None, 4)" in said.message
    assert "dataset.batch(32)" in said.message


def test_the_unbatched_error_prepare_data_records_translates_the_same(raised: dict[str, StepError]) -> None:
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    import numpy as np

    from kerascheck.runtime.capture import Capture
    from kerascheck.runtime.data import prepare_data

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    single = tf.data.Dataset.from_tensor_slices((np.ones((8, 4), "float32"), np.zeros((8, 2), "float32")))
    prepared = prepare_data(Capture(model=model, x=single), Thresholds())
    assert prepared.step_error is not None and prepared.x.shape == (8, 4)  # batched for the other checks
    run = _run("categorical_crossentropy", 2, None)
    assert translate(prepared.step_error, run) == translate(raised["unbatched_dataset"], run)
    batched = prepare_data(Capture(model=model, x=single.batch(4)), Thresholds())
    assert batched.step_error is None


def test_input_rank_mismatch(raised: dict[str, StepError]) -> None:
    said = _say(raised, "input_rank", "categorical_crossentropy", 2)
    assert said.category == "input" and "(8, 4, 2)" in said.message
