# Port of a PyTorch CIFAR-10 script (Keras 3): images transposed to (N, 3, 32, 32) and Conv2D given
# input_shape=(3, 32, 32) while Keras defaults to channels_last -- the "image" is 3 pixels tall with 32
# channels -> KC408 on input_shape.
import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.transpose(0, 3, 1, 2).astype("float32") / 255.0
x_test = x_test.transpose(0, 3, 1, 2).astype("float32") / 255.0

model = keras.Sequential()
model.add(layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(3, 32, 32)))
model.add(layers.Conv2D(64, (3, 3), padding="same", activation="relu"))
model.add(layers.GlobalAveragePooling2D())
model.add(layers.Dense(128, activation="relu"))
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=20, validation_data=(x_test, y_test))

test_loss, test_acc = model.evaluate(x_test, y_test, verbose=2)
print("test accuracy:", test_acc)

import numpy as np

class_names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
predictions = model.predict(x_test[:16])
for p, t in zip(np.argmax(predictions, axis=1), y_test[:16].ravel()):
    print(f"predicted {class_names[p]:>10}  true {class_names[t]:>10}")
model.summary()  # the first conv sees 3 rows x 32 columns x 32 "channels"
model.save("cifar10_port.keras")
