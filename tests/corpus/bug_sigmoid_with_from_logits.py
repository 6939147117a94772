# TF "Basic text classification" tutorial copied with its loss and metric but with a sigmoid added to the last
# layer: BinaryCrossentropy(from_logits=True) squashes the probabilities a second time and BinaryAccuracy's
# threshold=0.0 calls every review positive -> KC103 on the loss.
import tensorflow as tf
from tensorflow.keras import layers

max_features = 10000
sequence_length = 250
embedding_dim = 16

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.imdb.load_data(num_words=max_features)
x_train = tf.keras.preprocessing.sequence.pad_sequences(x_train, maxlen=sequence_length)
x_test = tf.keras.preprocessing.sequence.pad_sequences(x_test, maxlen=sequence_length)

model = tf.keras.Sequential(
    [
        layers.Embedding(max_features, embedding_dim),
        layers.Dropout(0.2),
        layers.GlobalAveragePooling1D(),
        layers.Dropout(0.2),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    optimizer="adam",
    metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.0)],
)
history = model.fit(x_train, y_train, validation_split=0.2, epochs=10)

loss, accuracy = model.evaluate(x_test, y_test)
print("Loss: ", loss)
print("Accuracy: ", accuracy)
