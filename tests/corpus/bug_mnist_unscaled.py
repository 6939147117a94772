# SO "MNIST accuracy stuck at ~10% with SGD" (tf.keras): the pixels are reshaped and cast to float32 but never
# divided by 255, so raw 0-255 values saturate the first layer -> KC301 on fit's x.
import tensorflow as tf

mnist = tf.keras.datasets.mnist
(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32")
x_test = x_test.reshape(-1, 784).astype("float32")

model = tf.keras.models.Sequential(
    [
        tf.keras.layers.Dense(512, activation="relu", input_shape=(784,)),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=5)
model.evaluate(x_test, y_test)

print(model.history.history["accuracy"])  # [0.0987, 0.0991, 0.0986, ...]

import numpy as np

predictions = model.predict(x_test[:20])
print(np.argmax(predictions, axis=1))
print(y_test[:20])
model.save("mnist_mlp.keras")
print("pixel range fed to fit:", x_train.min(), x_train.max())
print(model.evaluate(x_test, y_test, verbose=0))
