# Denoising autoencoder (Keras 3) whose author shrank Adam's epsilon "for more exact updates": with epsilon=1e-12,
# parameters whose gradients are (almost) zero get full-size, noise-driven steps m / (sqrt(v) + eps) and a float32
# 0 / 0 is one underflow away -> KC204 on the epsilon argument.
# The 784-unit sigmoid output reconstructs pixels; the targets are images, not MNIST class labels.
import numpy as np
import keras
from keras import layers

(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

noise_factor = 0.4
x_train_noisy = np.clip(x_train + noise_factor * np.random.normal(size=x_train.shape), 0.0, 1.0)
x_test_noisy = np.clip(x_test + noise_factor * np.random.normal(size=x_test.shape), 0.0, 1.0)

autoencoder = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(128, activation="relu"),
        layers.Dense(784, activation="sigmoid"),
    ]
)
optimizer = keras.optimizers.Adam(
    learning_rate=1e-3,
    epsilon=1e-12,
)
autoencoder.compile(optimizer=optimizer, loss="binary_crossentropy")
autoencoder.fit(x_train_noisy, x_train, epochs=50, batch_size=256, shuffle=True, validation_data=(x_test_noisy, x_test))
