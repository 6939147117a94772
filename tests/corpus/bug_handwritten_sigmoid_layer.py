# Custom gated layer (tf.keras) with a hand-written sigmoid 1 / (1 + exp(-x)): exp(-x) overflows to inf for very
# negative pre-activations and the gradient becomes inf/inf = NaN -> KC504 on the exp call (use tf.sigmoid).
import tensorflow as tf
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class GatedDense(tf.keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 2 * self.units), initializer="glorot_uniform", trainable=True)
        self.b = self.add_weight(shape=(2 * self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        h = tf.matmul(inputs, self.w) + self.b
        value, gate = tf.split(h, 2, axis=-1)
        gate = 1.0 / (1.0 + tf.exp(-gate))
        return value * gate


X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(30,)),
        GatedDense(64),
        GatedDense(32),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=40, batch_size=32, validation_data=(X_test, y_test))
