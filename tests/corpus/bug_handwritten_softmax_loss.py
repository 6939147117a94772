# Hand-written softmax cross-entropy on logits (tf.keras): tf.exp(logits) overflows to inf once a logit passes
# ~88 and inf / inf = NaN; tf.nn.softmax / from_logits=True subtract the max first -> KC504 on the exp.
import tensorflow as tf

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train = tf.keras.utils.to_categorical(y_train, 10)
y_test = tf.keras.utils.to_categorical(y_test, 10)


def softmax_cross_entropy(y_true, logits):
    probs = tf.exp(logits) / tf.reduce_sum(tf.exp(logits), axis=-1, keepdims=True)
    return -tf.reduce_sum(y_true * tf.math.log(probs + 1e-9), axis=-1)


model = tf.keras.Sequential(
    [
        tf.keras.layers.Conv2D(64, 3, padding="same", activation="relu", input_shape=(32, 32, 3)),
        tf.keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(128, 3, padding="same", activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(10),
    ]
)
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss=softmax_cross_entropy, metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=40, validation_data=(x_test, y_test))
print(model.evaluate(x_test, y_test, verbose=0))
