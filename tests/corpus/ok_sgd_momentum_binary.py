# Binary classifier on synthetic tabular data (Keras 3): Dense(1, sigmoid) + binary_crossentropy,
# StandardScaler, SGD(0.1, momentum=0.9) -- a high but fine SGD rate. Correct program: no findings.
import keras
from keras import layers
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

X, y = make_classification(n_samples=5000, n_features=20, n_informative=8, random_state=0)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)

scaler = StandardScaler().fit(X_train)
X_train = scaler.transform(X_train)
X_val = scaler.transform(X_val)

model = keras.Sequential(
    [
        keras.Input(shape=(20,)),
        layers.Dense(64, activation="relu"),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ]
)

model.compile(
    optimizer=keras.optimizers.SGD(0.1, momentum=0.9),
    loss="binary_crossentropy",
    metrics=["accuracy", keras.metrics.AUC()],
)
early_stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)
model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=100, batch_size=64, callbacks=[early_stop])
