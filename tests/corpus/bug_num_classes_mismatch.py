# Flower classifier on precomputed embeddings (Keras 3): NUM_CLASSES = 5 is used for to_categorical but the head
# was hard-coded with 4 units -> KC109 on the head.
import numpy as np
import keras
from keras import layers

NUM_CLASSES = 5

features = np.load("flower_embeddings.npy")  # (n, 1280) pooled EfficientNet features
labels = np.load("flower_labels.npy")  # integer class ids 0..4
labels = keras.utils.to_categorical(labels, NUM_CLASSES)

model = keras.Sequential(
    [
        keras.Input(shape=(1280,)),
        layers.Dense(256, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(4, activation="softmax"),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(features, labels, validation_split=0.2, epochs=30, batch_size=32)

import numpy as np

class_names = ["daisy", "dandelion", "roses", "sunflowers", "tulips"]
test_features = np.load("flower_embeddings_test.npy")
pred = np.argmax(model.predict(test_features), axis=1)
print([class_names[i] for i in pred[:10]])
model.save("flower_head.keras")
