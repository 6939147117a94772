# keras.io "Text classification from scratch" (Keras 3) with learning_rate=1e-8 (a typo for 1e-3): the loss does
# not move in three epochs -> KC202.
import tensorflow as tf
import keras
from keras import layers

batch_size = 32
raw_train_ds = keras.utils.text_dataset_from_directory(
    "aclImdb/train", batch_size=batch_size, validation_split=0.2, subset="training", seed=1337
)
raw_val_ds = keras.utils.text_dataset_from_directory(
    "aclImdb/train", batch_size=batch_size, validation_split=0.2, subset="validation", seed=1337
)

max_features = 20000
sequence_length = 500
vectorize_layer = keras.layers.TextVectorization(
    max_tokens=max_features, output_mode="int", output_sequence_length=sequence_length
)
text_ds = raw_train_ds.map(lambda x, y: x)
vectorize_layer.adapt(text_ds)


def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


train_ds = raw_train_ds.map(vectorize_text).cache().prefetch(buffer_size=10)
val_ds = raw_val_ds.map(vectorize_text).cache().prefetch(buffer_size=10)

inputs = keras.Input(shape=(None,), dtype="int64")
x = layers.Embedding(max_features, 128)(inputs)
x = layers.Dropout(0.5)(x)
x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.GlobalMaxPooling1D()(x)
x = layers.Dense(128, activation="relu")(x)
x = layers.Dropout(0.5)(x)
predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
model = keras.Model(inputs, predictions)

model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=1e-8), metrics=["accuracy"])
model.fit(train_ds, validation_data=val_ds, epochs=3)
