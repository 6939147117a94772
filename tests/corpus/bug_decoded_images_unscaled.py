# Hand-rolled image loading with OpenCV (Keras 3): decoded uint8 pixels are stacked into an array and fed to fit
# without any scaling -> KC301 on fit's x.
import glob
import os

import cv2
import numpy as np
import keras
from keras import layers
from sklearn.model_selection import train_test_split

IMG_SIZE = 64
paths = sorted(glob.glob("dataset/*/*.jpg"))
labels = np.array([0 if os.path.basename(os.path.dirname(p)) == "cat" else 1 for p in paths])
images = np.array([cv2.resize(cv2.imread(p), (IMG_SIZE, IMG_SIZE)) for p in paths])

x_train, x_val, y_train, y_val = train_test_split(images, labels, test_size=0.2, random_state=42)

model = keras.Sequential(
    [
        keras.Input(shape=(IMG_SIZE, IMG_SIZE, 3)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=15, batch_size=32)
