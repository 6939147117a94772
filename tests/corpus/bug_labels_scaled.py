# Fashion-MNIST (tf.keras) where the scaling was copy-pasted onto the labels too: class ids 0..9 become
# 0..0.035 and sparse_categorical_crossentropy only ever sees class 0 -> KC108 on the labels passed to fit.
from tensorflow import keras

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train, y_train = x_train / 255.0, y_train / 255.0
x_test, y_test = x_test / 255.0, y_test / 255.0

model = keras.Sequential(
    [
        keras.layers.Flatten(input_shape=(28, 28)),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=5, validation_data=(x_test, y_test))

loss, acc = model.evaluate(x_test, y_test, verbose=0)
print(f"test loss {loss:.4f}, test accuracy {acc:.4f}")

import matplotlib.pyplot as plt

history = model.history.history
plt.plot(history["loss"], label="train loss")
plt.plot(history["val_loss"], label="val loss")
plt.legend()
plt.show()
print("label range:", y_train.min(), y_train.max())
