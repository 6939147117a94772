# Hand-written class-weighted categorical crossentropy (tf.keras): log of a clip_by_value'd y_pred, log of
# y_pred + 1e-7, a sum divided by tf.maximum(weight, eps); CIFAR-10 scaled /255, softmax head.
# Correct program: no findings.
import tensorflow as tf

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train = tf.keras.utils.to_categorical(y_train, 10)
y_test = tf.keras.utils.to_categorical(y_test, 10)

class_weights = tf.constant([1.0, 1.0, 2.0, 2.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0])


def weighted_cce(y_true, y_pred):
    y_pred = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
    per_class = -y_true * tf.math.log(y_pred) * class_weights
    return tf.reduce_sum(per_class, axis=-1)


def entropy_bonus(y_true, y_pred):
    # mean prediction entropy, normalised by the (guarded) total label weight
    entropy = -tf.reduce_sum(y_pred * tf.math.log(y_pred + 1e-7), axis=-1)
    weight = tf.reduce_sum(y_true)
    return tf.reduce_sum(entropy) / tf.maximum(weight, 1e-6)


def loss_fn(y_true, y_pred):
    return weighted_cce(y_true, y_pred) - 0.01 * entropy_bonus(y_true, y_pred)


model = tf.keras.Sequential(
    [
        tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(32, 32, 3)),
        tf.keras.layers.BatchNormalization(),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
        tf.keras.layers.BatchNormalization(),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(256, activation="relu"),
        tf.keras.layers.Dropout(0.5),
        tf.keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss=loss_fn, metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=30, validation_data=(x_test, y_test))
