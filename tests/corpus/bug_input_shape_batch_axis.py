# input_shape written with the batch dimension (tf.keras): Conv2D(input_shape=(None, 64, 64, 1)) makes the model
# expect 5-D input and the real batches never fit -> KC410 on input_shape.
import numpy as np
import tensorflow as tf

images = np.load("faces_64x64_gray.npy").astype("float32") / 255.0  # (n, 64, 64, 1)
labels = np.load("faces_labels.npy")  # 0 = no smile, 1 = smile

model = tf.keras.Sequential()
model.add(tf.keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(None, 64, 64, 1)))
model.add(tf.keras.layers.MaxPooling2D((2, 2)))
model.add(tf.keras.layers.Conv2D(64, (3, 3), activation="relu"))
model.add(tf.keras.layers.MaxPooling2D((2, 2)))
model.add(tf.keras.layers.Flatten())
model.add(tf.keras.layers.Dense(64, activation="relu"))
model.add(tf.keras.layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(images, labels, epochs=15, batch_size=32, validation_split=0.2)

model.summary()
loss, acc = model.evaluate(images, labels, verbose=0)
print(f"accuracy on the training images: {acc:.3f}")

import matplotlib.pyplot as plt

history = model.history.history
plt.plot(history["accuracy"], label="train")
plt.plot(history["val_accuracy"], label="validation")
plt.legend()
plt.savefig("smile_cnn_accuracy.png")
model.save("smile_cnn.keras")
