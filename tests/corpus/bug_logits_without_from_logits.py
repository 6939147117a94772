# TF "Basic classification" adapted by a user who dropped from_logits: the model ends in Dense(10) with no
# activation but the loss is the string 'sparse_categorical_crossentropy', which expects probabilities -> KC102.
import tensorflow as tf

fashion_mnist = tf.keras.datasets.fashion_mnist
(train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
train_images = train_images / 255.0
test_images = test_images / 255.0

model = tf.keras.Sequential(
    [
        tf.keras.layers.Flatten(input_shape=(28, 28)),
        tf.keras.layers.Dense(128, activation="relu"),
        tf.keras.layers.Dense(10),
    ]
)

model.compile(
    optimizer="adam",
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(train_images, train_labels, epochs=10)
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)

print("\nTest accuracy:", test_acc)

import numpy as np

predictions = model.predict(test_images)
print(predictions[0])  # raw scores, not probabilities
print(np.argmax(predictions[0]), test_labels[0])
