# Multi-output functional model (Keras 3): a shared trunk with an "age" regression head (linear, mse + mae) and a
# "gender" head (sigmoid, binary_crossentropy + accuracy) using per-output loss/metric dicts; accuracy belongs to
# the classification output only. Correct program: no findings.
import numpy as np
import keras
from keras import layers

images = np.load("utkface_images.npy")  # (n, 128, 128, 3) uint8
ages = np.load("utkface_ages.npy").astype("float32")
genders = np.load("utkface_genders.npy").astype("float32")  # 0 / 1
images = images.astype("float32") / 255.0

inputs = keras.Input(shape=(128, 128, 3))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(64, 3, activation="relu")(x)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(128, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(128, activation="relu")(x)
x = layers.Dropout(0.3)(x)
age_out = layers.Dense(1, name="age")(x)
gender_out = layers.Dense(1, activation="sigmoid", name="gender")(x)

model = keras.Model(inputs=inputs, outputs={"age": age_out, "gender": gender_out})
model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss={"age": "mse", "gender": "binary_crossentropy"},
    loss_weights={"age": 0.01, "gender": 1.0},
    metrics={"age": ["mae"], "gender": ["accuracy"]},
)
model.fit(images, {"age": ages, "gender": genders}, validation_split=0.15, epochs=30, batch_size=64)
