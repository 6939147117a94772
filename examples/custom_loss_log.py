"""Fashion-MNIST with a hand-written cross-entropy: the loss turns NaN after a few epochs.

Everything else is right (pixels scaled to [0, 1], one-hot labels, a 10-unit softmax head, Adam at its
default rate), and the first epochs look fine. But as the model grows confident, some softmax outputs
underflow to exactly 0.0 in float32, `tf.math.log(0.0)` is `-inf`, `0 * -inf` is NaN, and from that
batch on the loss prints `nan` and every weight is NaN. Keras' own cross-entropy clips its input for
this reason. `kerascheck` reports it as KC501 (log-of-unclamped-value); clip the prediction
(`tf.math.log(tf.clip_by_value(y_pred, 1e-7, 1.0))`) or, better, use
`keras.losses.CategoricalCrossentropy()`.

    kerascheck examples/custom_loss_log.py
"""

import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

num_classes = 10

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
x_test = x_test.reshape(-1, 784).astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)


def categorical_crossentropy(y_true, y_pred):
    """Mean negative log-likelihood of the true class."""
    per_sample = -tf.reduce_sum(y_true * tf.math.log(y_pred), axis=-1)
    return tf.reduce_mean(per_sample)


model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(128, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=categorical_crossentropy,
    metrics=["accuracy"],
)
model.fit(x_train, y_train, batch_size=128, epochs=30, validation_data=(x_test, y_test))
