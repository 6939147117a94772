"""An MNIST convnet that forgets to scale its pixels: kerascheck reports KC301 (unscaled-input) only.

Everything else is as keras.io writes it (one-hot labels for categorical cross-entropy, a 10-unit
softmax head, Adam at its default learning rate), but the images reach ``fit`` as float values in
[0, 255]. The first convolution's pre-activations are then hundreds of times larger than Keras'
initialisers assume: the first updates are huge, the loss starts far too high, and depending on the
seed training is unstable, stalls, or ends well below the ~99% the scaled version reaches.
The fix is one line: ``x_train = np.expand_dims(x_train, -1).astype("float32") / 255``.
"""

import numpy as np
import keras
from keras import layers

num_classes = 10
input_shape = (28, 28, 1)

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()

# Add the channel axis and convert to float -- but the division by 255 is missing.
x_train = np.expand_dims(x_train, -1).astype("float32")
x_test = np.expand_dims(x_test, -1).astype("float32")
print("x_train shape:", x_train.shape)

y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
model.summary()

model.compile(
    loss="categorical_crossentropy",
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    metrics=["accuracy"],
)
model.fit(x_train, y_train, batch_size=128, epochs=15, validation_split=0.1)

score = model.evaluate(x_test, y_test, verbose=0)
print("Test loss:", score[0])
print("Test accuracy:", score[1])
