# "My binary classifier gets 33% accuracy": make_classification with n_classes=3 gives labels 0, 1 and 2,
# but the model has one sigmoid unit and binary cross-entropy (KC109).
from sklearn.datasets import make_classification
from sklearn.preprocessing import StandardScaler
import tensorflow as tf

X, y = make_classification(n_samples=3000, n_features=20, n_informative=10, n_classes=3,
                           random_state=7)
X = StandardScaler().fit_transform(X)

model = tf.keras.models.Sequential([
    tf.keras.layers.Dense(64, activation="relu", input_shape=(20,)),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(X, y, epochs=30, validation_split=0.2)
print(history.history["val_accuracy"][-1])
