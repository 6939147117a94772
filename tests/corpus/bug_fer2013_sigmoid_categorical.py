# FER-2013 facial expressions from the Kaggle CSV (tf.keras, Keras 2 add() style): pixels parsed and /255, seven
# classes one-hot encoded, but the head is Dense(7) + Activation('sigmoid') under categorical_crossentropy -> KC110.
import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow.keras.layers import Activation, BatchNormalization, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from tensorflow.keras.models import Sequential

num_classes = 7
df = pd.read_csv("fer2013.csv")
pixels = np.array([np.array(p.split(), dtype="float32") for p in df["pixels"]])
X = pixels.reshape(-1, 48, 48, 1) / 255.0
y = tf.keras.utils.to_categorical(df["emotion"].values, num_classes)
train = (df["Usage"] == "Training").values
X_train, y_train, X_val, y_val = X[train], y[train], X[~train], y[~train]

model = Sequential()
model.add(Conv2D(64, (3, 3), padding="same", activation="relu", input_shape=(48, 48, 1)))
model.add(BatchNormalization())
model.add(MaxPooling2D((2, 2)))
model.add(Conv2D(128, (3, 3), padding="same", activation="relu"))
model.add(BatchNormalization())
model.add(MaxPooling2D((2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(256, activation="relu"))
model.add(Dropout(0.5))
model.add(Dense(num_classes))
model.add(Activation("sigmoid"))

model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, batch_size=64, epochs=50, validation_data=(X_val, y_val))
model.save("fer_cnn.h5")
