"""KC413 sequential-add-keyword: layer arguments passed to model.add()."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc413(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC413"])


def test_input_shape_outside_the_conv_layer() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation='relu'), input_shape=(64, 64, 3))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(units=128, activation='relu'))
        model.add(Dense(units=1), activation='sigmoid')
        model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
        """
    assert kc413(src) == [("KC413", 5), ("KC413", 9)]
    first = lint_snippet(src, select=["KC413"])[0]
    assert "input_shape" in first.message and first.severity == "error"


def test_layer_keyword_and_keras3_rebuild_are_accepted() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential()
        model.add(layers.Input(shape=(16,)))
        model.add(layer=layers.Dense(8, activation="relu"))
        model.add(layers.Dense(1), rebuild=False)
        total = []
        total.append(1)
        """
    assert kc413(src) == []
