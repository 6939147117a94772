# A helper that builds a CIFAR model with a fixed ten-way softmax, used on CIFAR-100 with one-hot
# labels for 100 classes (KC109).
from tensorflow import keras
from tensorflow.keras import layers


def make_cnn(input_shape):
    model = keras.Sequential([
        layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=input_shape),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(256, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


(x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data()
x_train = x_train.astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 100)
model = make_cnn(x_train.shape[1:])
model.fit(x_train, y_train, batch_size=64, epochs=25)
