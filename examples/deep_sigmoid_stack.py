"""A deep sigmoid MLP on MNIST: kerascheck reports KC401 (saturating-deep-stack) and nothing else.

Everything else is right: pixels are scaled to [0, 1], labels are one-hot encoded for categorical
cross-entropy, the head is a 10-unit softmax and Adam runs at a sane learning rate. But the six hidden
layers all squash with sigmoid and nothing normalises between them, so the gradient shrinks by up to
4x per layer on its way back: the first layers barely move, and the loss sits near log(10) for many
epochs. Replace the hidden activations with "relu" (or add BatchNormalization) and it trains in one
epoch.
"""

import keras
from keras import layers

num_classes = 10
hidden_units = [512, 512, 256, 256, 128, 64]

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()

# Flatten the 28x28 images and scale the pixels to [0, 1].
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)


def build_model():
    model = keras.Sequential()
    model.add(keras.Input(shape=(784,)))
    for units in hidden_units:
        model.add(layers.Dense(units, activation="sigmoid"))  # KC401: vanishing gradients
        model.add(layers.Dropout(0.1))
    model.add(layers.Dense(num_classes, activation="softmax"))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


model = build_model()
model.summary()
history = model.fit(x_train, y_train, batch_size=128, epochs=20, validation_split=0.1)

score = model.evaluate(x_test, y_test, verbose=0)
print("Test loss:", score[0])
print("Test accuracy:", score[1])
