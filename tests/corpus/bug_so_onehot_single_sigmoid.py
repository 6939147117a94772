# Spam classifier: the 0/1 labels are one-hot encoded with to_categorical (two columns) but the model
# has one sigmoid output (KC109).
import numpy as np
import tensorflow as tf
from tensorflow.keras.utils import to_categorical
from tensorflow.keras.preprocessing.text import Tokenizer
from tensorflow.keras.preprocessing.sequence import pad_sequences

texts = open("sms.txt").read().splitlines()
labels = np.load("sms_labels.npy")
tokenizer = Tokenizer(num_words=5000)
tokenizer.fit_on_texts(texts)
X = pad_sequences(tokenizer.texts_to_sequences(texts), maxlen=100)
y = to_categorical(labels)

model = tf.keras.Sequential([
    tf.keras.layers.Embedding(5000, 32, input_length=100),
    tf.keras.layers.GlobalAveragePooling1D(),
    tf.keras.layers.Dense(16, activation="relu"),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=10, validation_split=0.2)
