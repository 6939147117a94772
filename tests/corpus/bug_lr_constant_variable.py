# Hyper-parameters kept in module constants (Keras 3): LR = 0.1 is fed to Adam, 100x its usual rate; the loss
# jumps to NaN in the first epoch -> KC201 on the learning_rate=LR argument.
import keras
from keras import layers

LR = 0.1
BATCH_SIZE = 64
EPOCHS = 20
NUM_CLASSES = 10

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train = x_train[..., None].astype("float32") / 255.0
x_test = x_test[..., None].astype("float32") / 255.0

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ]
)
optimizer = keras.optimizers.Adam(
    learning_rate=LR,
    beta_1=0.9,
)
model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=EPOCHS, validation_data=(x_test, y_test))
