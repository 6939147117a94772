# Multi-label music tagging (tf.keras): N-unit sigmoid head + binary_crossentropy on MultiLabelBinarizer
# targets (several tags per track), StandardScaler on the features. Correct program: no findings.
import json

import numpy as np
import tensorflow as tf
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MultiLabelBinarizer, StandardScaler

NUM_TAGS = 12

features = np.load("track_features.npy")  # (n_tracks, 128) audio embeddings
with open("track_tags.json") as f:
    tags = json.load(f)  # list of tag lists, e.g. [["rock", "live"], ["jazz"], ...]

mlb = MultiLabelBinarizer()
Y = mlb.fit_transform(tags).astype("float32")
assert Y.shape[1] == NUM_TAGS

X_train, X_test, y_train, y_test = train_test_split(features, Y, test_size=0.2, random_state=42)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = tf.keras.Sequential(
    [
        tf.keras.layers.Input(shape=(X_train.shape[1],)),
        tf.keras.layers.Dense(256, activation="relu"),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(128, activation="relu"),
        tf.keras.layers.Dense(NUM_TAGS, activation="sigmoid"),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=3e-4),
    loss="binary_crossentropy",
    metrics=[tf.keras.metrics.AUC(multi_label=True, num_labels=NUM_TAGS), "binary_accuracy"],
)
model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=40, batch_size=64)

probs = model.predict(X_test)
predicted = (probs > 0.5).astype(int)
print(mlb.inverse_transform(predicted)[:5])
