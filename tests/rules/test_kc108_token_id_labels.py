"""KC108 on labels cut from ``pad_sequences`` output (next-word targets): integer token ids."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc108(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC108"])


SETUP = """\
    import numpy as np
    from tensorflow import keras
    from tensorflow.keras.preprocessing.text import Tokenizer
    from tensorflow.keras.preprocessing.sequence import pad_sequences

    lines = open("poems.txt").read().lower().split("\\n")
    tok = Tokenizer()
    tok.fit_on_texts(lines)
    vocab = len(tok.word_index) + 1
    ngrams = []
    for line in lines:
        ids = tok.texts_to_sequences([line])[0]
        for end in range(2, len(ids) + 1):
            ngrams.append(ids[:end])
    width = max(len(g) for g in ngrams)
    grid = np.array(pad_sequences(ngrams, maxlen=width, padding="pre"))
    context, following = grid[:, :-1], grid[:, -1]
"""


def test_next_word_targets_with_categorical_loss() -> None:
    src = SETUP + """\
    lm = keras.Sequential([
        keras.layers.Embedding(vocab, 100),
        keras.layers.LSTM(150),
        keras.layers.Dense(vocab, activation="softmax"),
    ])
    lm.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    lm.fit(context, following, epochs=100)
    """
    assert kc108(src) == [("KC108", 24)]
    message = lint_snippet(src, select=["KC108"])[0].message
    assert "pad_sequences" in message and "to_categorical" in message


def test_next_word_targets_one_hot_encoded_or_with_sparse_loss() -> None:
    src = SETUP + """\
    targets = keras.utils.to_categorical(following, num_classes=vocab)
    lm = keras.Sequential([
        keras.layers.Embedding(vocab, 100),
        keras.layers.LSTM(150),
        keras.layers.Dense(vocab, activation="softmax"),
    ])
    lm.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    lm.fit(context, targets, epochs=100)
    lm.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    lm.fit(context, following, epochs=100)
    """
    assert kc108(src) == []
