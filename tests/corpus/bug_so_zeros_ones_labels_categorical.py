# Real vs fake images labelled with np.ones/np.zeros (0/1 class indexes), but a two-unit softmax with
# categorical_crossentropy, which expects one-hot rows (KC108).
import numpy as np
from tensorflow import keras

real = np.load("real_images.npy") / 255.0
fake = np.load("fake_images.npy") / 255.0
X = np.concatenate([real, fake])
y = np.concatenate([np.ones(len(real)), np.zeros(len(fake))])

model = keras.Sequential([
    keras.layers.Conv2D(32, 3, activation="relu", input_shape=(64, 64, 3)),
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=10, shuffle=True)
