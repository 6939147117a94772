# Project training script whose model, loss and learning rate come from other modules of the project: the head
# and the loss are not visible here, so nothing may be guessed about them. Correct program: no findings.
import tensorflow as tf

from config import LEARNING_RATE
from mylosses import LOSS, focal_loss
from mymodels import build_model

(x_train, y_train), (x_val, y_val) = tf.keras.datasets.cifar10.load_data()
x_train, x_val = x_train / 255.0, x_val / 255.0

model = build_model(input_shape=(32, 32, 3), num_classes=10)
model.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=LEARNING_RATE),
    loss=focal_loss,
    metrics=["accuracy"],
)
model.fit(x_train, y_train, epochs=20, validation_data=(x_val, y_val))

# a second, local linear-probe head trained with a loss held in a variable from another module
backbone = tf.keras.Model(model.input, model.get_layer("backbone").output)
features = backbone.predict(x_train)

probe = tf.keras.Sequential(
    [
        tf.keras.layers.GlobalAveragePooling2D(input_shape=features.shape[1:]),
        tf.keras.layers.Dense(10),
    ]
)
probe.compile(optimizer="adam", loss=LOSS)
probe.fit(features, y_train, epochs=5)
