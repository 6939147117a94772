# Custom precision metric for an imbalanced fraud model (Keras 3): the number of predicted positives is 0 for many
# early batches, so tp / predicted_positives is 0 / 0 = NaN and EarlyStopping on it misbehaves -> KC502.
import pandas as pd
import keras
from keras import layers, ops
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import RobustScaler


def precision(y_true, y_pred):
    y_pred = ops.round(ops.clip(y_pred, 0, 1))
    true_positives = ops.sum(y_true * y_pred)
    return true_positives / ops.sum(y_pred)


df = pd.read_csv("creditcard.csv")
X = df.drop(columns=["Class"]).values
y = df["Class"].values.astype("float32")
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, stratify=y, random_state=7)
scaler = RobustScaler()
X_train = scaler.fit_transform(X_train)
X_val = scaler.transform(X_val)

model = keras.Sequential(
    [
        keras.Input(shape=(X_train.shape[1],)),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[precision, keras.metrics.Recall()])
stop = keras.callbacks.EarlyStopping(monitor="val_precision", mode="max", patience=5, restore_best_weights=True)
model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=50, batch_size=2048, callbacks=[stop])
