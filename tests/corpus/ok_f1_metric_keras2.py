# SO "How to get accuracy, F1, precision and recall for a keras model" (Keras 2 backend API): the metrics
# divide by (x + K.epsilon()); read_csv features go through StandardScaler; sigmoid head + binary_crossentropy.
# Correct program: no findings.
import pandas as pd
from keras import backend as K
from keras.layers import Dense, Dropout
from keras.models import Sequential
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def recall_m(y_true, y_pred):
    true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
    possible_positives = K.sum(K.round(K.clip(y_true, 0, 1)))
    recall = true_positives / (possible_positives + K.epsilon())
    return recall


def precision_m(y_true, y_pred):
    true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
    predicted_positives = K.sum(K.round(K.clip(y_pred, 0, 1)))
    precision = true_positives / (predicted_positives + K.epsilon())
    return precision


def f1_m(y_true, y_pred):
    precision = precision_m(y_true, y_pred)
    recall = recall_m(y_true, y_pred)
    return 2 * ((precision * recall) / (precision + recall + K.epsilon()))


df = pd.read_csv("creditcard.csv")
X = df.drop(columns=["Class", "Time"]).values
y = df["Class"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.transform(X_test)

model = Sequential()
model.add(Dense(32, activation="relu", input_dim=X_train.shape[1]))
model.add(Dropout(0.2))
model.add(Dense(16, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc", f1_m, precision_m, recall_m])
model.fit(X_train, y_train, epochs=20, batch_size=256, validation_data=(X_test, y_test))

loss, accuracy, f1_score, precision, recall = model.evaluate(X_test, y_test, verbose=0)
print(f"f1={f1_score:.3f} precision={precision:.3f} recall={recall:.3f}")
