"""Odd but valid code never makes the extractor fail (a failure would cost the whole file)."""

from __future__ import annotations

import textwrap

from kerascheck.config import default_settings
from kerascheck.engine import lint_source
from kerascheck.testing import codes_and_lines

SERVING_SCRIPT = '''
import asyncio

import numpy as np
from tensorflow import keras

model = keras.models.load_model("model.keras")


async def predict(request):
    payload = await request.json()
    if (n := len(payload["rows"])) > 0:
        batch = np.asarray(payload["rows"], dtype="float32") / 255.0
        return model.predict(batch).tolist()[:n]
    return []


async def main(queue):
    async with queue.lock() as lock:
        async for item in queue:
            await predict(item)
    return await asyncio.sleep(0)
'''


def test_async_code_await_and_walrus_do_not_break_the_extractor():
    diagnostics = lint_source(textwrap.dedent(SERVING_SCRIPT), "serve.py",
                              default_settings(select=("ALL",)))
    assert [d for d in diagnostics if d.code == "KC000"] == []


def test_walrus_binds_its_name():
    source = '''
    import keras

    model = keras.Sequential([
        keras.Input(shape=(4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    if (rate := 0.5) > 0.1:
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=rate), loss="binary_crossentropy")
    '''
    assert codes_and_lines(source, select=["KC201"]) == [("KC201", 10)]
