# keras.io-style functional MNIST MLP (Keras 3) whose head already applies softmax while the loss is told
# from_logits=True: softmax applied twice, gradients shrink and learning stalls -> KC103.
import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(60000, 784).astype("float32") / 255
x_test = x_test.reshape(10000, 784).astype("float32") / 255

inputs = keras.Input(shape=(784,), name="digits")
x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
x = layers.Dense(64, activation="relu", name="dense_2")(x)
outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
model = keras.Model(inputs=inputs, outputs=outputs)

model.compile(
    optimizer=keras.optimizers.RMSprop(),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
history = model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.2)
print(model.evaluate(x_test, y_test, batch_size=128))

predictions = model.predict(x_test[:3])
print("predictions shape:", predictions.shape)
print(history.history["sparse_categorical_accuracy"])
model.save("mnist_mlp.keras")

import numpy as np

print("predicted digits:", np.argmax(predictions, axis=1))
